#include "core/config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/log.h"
#include "core/banned.h"

struct entry {
	char *key;
	char *value;
};

static struct entry *entries;
static size_t n_entries;
static char *loaded_path; /* the file of the last successful config_load */

static struct entry *find(const char *key)
{
	for (size_t i = 0; i < n_entries; i++)
		if (!strcmp(entries[i].key, key))
			return &entries[i];
	return NULL;
}

void config_set(const char *key, const char *value)
{
	struct entry *e = find(key);
	if (e) {
		free(e->value);
		e->value = xstrdup(value);
		return;
	}
	entries = xrealloc(entries, (n_entries + 1) * sizeof *entries);
	entries[n_entries].key = xstrdup(key);
	entries[n_entries].value = xstrdup(value);
	n_entries++;
}

static char *trim(char *s)
{
	char *end;
	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	return s;
}

int config_load(const char *path, struct buf *err)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t got;
	unsigned lineno = 0;
	int rc = 0;

	if (!path)
		path = getenv("BIAOGAN_CONF");
	if (!path || !*path)
		path = BIAOGAN_SYSCONF_PATH;
	f = fopen(path, "r");
	if (!f) {
		buf_addf(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	config_release();
	while ((got = getline(&line, &cap, f)) != -1) {
		char *eq, *key, *value;
		lineno++;
		if (memchr(line, '\0', (size_t)got)) {
			buf_addf(err, "%s:%u: NUL byte", path, lineno);
			rc = -1;
			break;
		}
		key = trim(line);
		if (!*key || *key == '#')
			continue;
		eq = strchr(key, '=');
		if (!eq) {
			buf_addf(err, "%s:%u: expected key = value", path, lineno);
			rc = -1;
			break;
		}
		*eq = '\0';
		value = trim(eq + 1);
		key = trim(key);
		if (!*key) {
			buf_addf(err, "%s:%u: empty key", path, lineno);
			rc = -1;
			break;
		}
		if (find(key)) {
			buf_addf(err, "%s:%u: duplicate key %s", path, lineno, key);
			rc = -1;
			break;
		}
		config_set(key, value);
	}
	free(line);
	if (ferror(f) && rc == 0) {
		buf_addf(err, "%s: read error", path);
		rc = -1;
	}
	fclose(f);
	if (rc) {
		config_release();
		return rc;
	}
	free(loaded_path);
	loaded_path = xstrdup(path);
	return 0;
}

const char *config_path(void)
{
	return loaded_path;
}

const char *config_key_at(size_t i)
{
	return i < n_entries ? entries[i].key : NULL;
}

const char *config_str(const char *key, const char *dflt)
{
	struct entry *e = find(key);
	return e ? e->value : dflt;
}

long long config_int(const char *key, long long dflt)
{
	const char *v = config_str(key, NULL);
	char *end;
	long long n;
	if (!v)
		return dflt;
	errno = 0;
	n = strtoll(v, &end, 10);
	if (errno || end == v || *end) {
		log_warn("config: %s is not an integer, using %lld", key, dflt);
		return dflt;
	}
	return n;
}

bool config_bool(const char *key, bool dflt)
{
	const char *v = config_str(key, NULL);
	if (!v)
		return dflt;
	if (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcmp(v, "1") || !strcasecmp(v, "on"))
		return true;
	if (!strcasecmp(v, "false") || !strcasecmp(v, "no") || !strcmp(v, "0") || !strcasecmp(v, "off"))
		return false;
	log_warn("config: %s is not a boolean, using %s", key, dflt ? "true" : "false");
	return dflt;
}

void config_release(void)
{
	for (size_t i = 0; i < n_entries; i++) {
		free(entries[i].key);
		free(entries[i].value);
	}
	free(entries);
	entries = NULL;
	n_entries = 0;
	free(loaded_path);
	loaded_path = NULL;
}
