#include "core/anchor.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "core/log.h"
#include "core/banned.h"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* "YYYY-MM-DDTHH:MM:SSZ" with digits where the format has them. */
static bool timestamp_ok(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	for (size_t i = 0; i < sizeof shape - 1; i++)
		if (shape[i] == 'd' ? !is_digit(s[i]) : s[i] != shape[i])
			return false;
	return true;
}

bool anchor_parse_line(const char *line, size_t len, struct audit_anchor *out)
{
	static const char id_tag[] = " id=", hash_tag[] = " hash=";
	const size_t at_len = sizeof out->at - 1;
	size_t i = 0, digits = 0;
	long long id = 0;

	memset(out, 0, sizeof *out);
	if (len < at_len || !timestamp_ok(line))
		return false;
	i = at_len;
	if (len - i < sizeof id_tag - 1 || memcmp(line + i, id_tag, sizeof id_tag - 1))
		return false;
	i += sizeof id_tag - 1;
	for (; i < len && is_digit(line[i]); i++, digits++) {
		if (digits >= 18)
			return false;
		id = id * 10 + (line[i] - '0');
	}
	if (digits == 0 || (digits > 1 && line[i - digits] == '0'))
		return false;
	if (len - i != sizeof hash_tag - 1 + ANCHOR_HASH_HEX ||
	    memcmp(line + i, hash_tag, sizeof hash_tag - 1))
		return false;
	i += sizeof hash_tag - 1;
	for (size_t k = 0; k < ANCHOR_HASH_HEX; k++) {
		char c = line[i + k];
		if (!is_digit(c) && !(c >= 'a' && c <= 'f'))
			return false;
	}
	memcpy(out->at, line, at_len);
	out->id = id;
	memcpy(out->hash, line + i, ANCHOR_HASH_HEX);
	return true;
}

void anchor_format(const struct audit_anchor *a, struct buf *out)
{
	buf_addf(out, "%s id=%lld hash=%s\n", a->at, a->id, a->hash);
}

int anchor_read(const char *path, struct audit_anchor **out, size_t *n, size_t *bad_line)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0, have = 0, room = 0, number = 0;
	ssize_t got;
	struct audit_anchor *all = NULL;

	*out = NULL;
	*n = 0;
	*bad_line = 0;
	if (!(f = fopen(path, "re")))
		return errno == ENOENT ? 0 : -1;
	while ((got = getline(&line, &cap, f)) >= 0) {
		size_t len = (size_t)got;
		number++;
		if (len && line[len - 1] == '\n')
			len--;
		if (have == room) {
			size_t bigger = room ? room * 2 : 64;
			struct audit_anchor *grown = realloc(all, bigger * sizeof *all);
			if (!grown)
				break;
			all = grown;
			room = bigger;
		}
		if (len > ANCHOR_LINE_MAX || !anchor_parse_line(line, len, &all[have])) {
			*bad_line = number;
			break;
		}
		have++;
	}
	bool failed = *bad_line || ferror(f) || (got >= 0); /* got >= 0: stopped early */
	free(line);
	fclose(f);
	if (failed) {
		free(all);
		return -1;
	}
	*out = all;
	*n = have;
	return 0;
}

int anchor_append(const char *path, const struct audit_anchor *a)
{
	struct buf line = BUF_INIT;
	int fd, rc = 0;

	anchor_format(a, &line);
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0 || write(fd, line.data, line.len) != (ssize_t)line.len || fsync(fd) != 0) {
		log_err("audit anchor: cannot append to %s: %s", path, strerror(errno));
		rc = -1;
	}
	if (fd >= 0 && close(fd) != 0)
		rc = -1;
	/* The journal keeps its own copy, out of the database's reach. */
	openlog("biaogan-audit", LOG_PID, LOG_AUTHPRIV);
	syslog(LOG_NOTICE, "audit anchor %.*s", (int)(line.len - 1), line.data);
	closelog();
	buf_release(&line);
	return rc;
}
