#include "core/csv.h"

#include <string.h>

#include "core/banned.h"

void csv_init(struct csv *w, struct buf *out)
{
	w->out = out;
	w->fields = 0;
	buf_adds(out, CSV_BOM);
}

bool csv_needs_neutralising(const char *s, size_t len)
{
	return len > 0 && s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
}

bool csv_is_decimal(const char *s)
{
	size_t i = 0, digits = 0;
	if (!s)
		return false;
	if (s[i] == '-')
		i++;
	while (s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (!digits)
		return false;
	if (s[i] == '.') {
		size_t frac = 0;
		i++;
		while (s[i] >= '0' && s[i] <= '9')
			i++, frac++;
		if (!frac)
			return false;
	}
	return s[i] == '\0';
}

static void separator(struct csv *w)
{
	if (w->fields++)
		buf_addc(w->out, ',');
}

static bool needs_quotes(const char *s, size_t len)
{
	if (!len)
		return false;
	if (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t')
		return true;
	for (size_t i = 0; i < len; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			return true;
	return false;
}

void csv_field_n(struct csv *w, const char *s, size_t len)
{
	bool neutral, quote;
	separator(w);
	if (!s)
		return;
	neutral = csv_needs_neutralising(s, len);
	/* The apostrophe goes inside the quotes: it is part of the field.  A
	 * leading TAB or CR is quoted anyway (needs_quotes). */
	quote = needs_quotes(s, len);
	if (quote)
		buf_addc(w->out, '"');
	if (neutral)
		buf_addc(w->out, '\'');
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '"')
			buf_addc(w->out, '"');
		buf_addc(w->out, s[i]);
	}
	if (quote)
		buf_addc(w->out, '"');
}

void csv_field(struct csv *w, const char *s)
{
	csv_field_n(w, s, s ? strlen(s) : 0);
}

void csv_number(struct csv *w, const char *s)
{
	if (!csv_is_decimal(s)) {
		csv_field(w, s);
		return;
	}
	separator(w);
	buf_adds(w->out, s);
}

void csv_int(struct csv *w, long long v)
{
	separator(w);
	buf_addf(w->out, "%lld", v);
}

void csv_end_row(struct csv *w)
{
	buf_adds(w->out, "\r\n");
	w->fields = 0;
}
