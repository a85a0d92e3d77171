/* utf8: validation and counting of UTF-8 text from the outside world.
 * Valid means: well-formed per RFC 3629, no overlong forms, no surrogates,
 * nothing above U+10FFFF, and no NUL byte (a NUL would truncate the C string
 * every later layer sees). */
#ifndef BIAOGAN_UTF8_H
#define BIAOGAN_UTF8_H

#include <stdbool.h>
#include <stddef.h>

bool utf8_valid(const char *s, size_t len);
/* Number of code points in valid UTF-8 (what a user calls characters). */
size_t utf8_count(const char *s, size_t len);
/* True if s has control characters other than TAB, LF, CR (U+0000–U+001F, U+007F). */
bool utf8_has_controls(const char *s, size_t len, bool allow_newlines);

#endif
