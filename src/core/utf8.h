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
/* True if valid UTF-8 s holds a bidirectional formatting character: the
 * embeddings and overrides U+202A-U+202E, the isolates U+2066-U+2069, the
 * marks U+200E, U+200F and U+061C.  Invisible, they reorder what is shown
 * around them ("abc\u202Efdp.exe" reads "abcexe.pdf"). */
bool utf8_has_bidi_controls(const char *s, size_t len);
/* The code point that starts at s, in text already found valid
 * (utf8_valid); *len gets its length in bytes (1-4). */
unsigned long utf8_decode(const unsigned char *s, size_t *len);

#endif
