#include "rules/numbers.h"

#include <stdio.h>
#include <string.h>

#include "core/banned.h"

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static int is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* s without its surrounding blanks: *len bytes from the returned pointer. */
static const char *trimmed(const char *s, size_t *len)
{
	size_t n = strlen(s);
	while (n && is_blank(*s))
		s++, n--;
	while (n && is_blank(s[n - 1]))
		n--;
	*len = n;
	return s;
}

static char upper(char ch)
{
	return ch >= 'a' && ch <= 'z' ? (char)(ch - 'a' + 'A') : ch;
}

static int digits(const char *s, size_t n, int *out)
{
	int v = 0;
	if (!n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int cert_no_format(int year, int seq, char out[CERT_NO_MAX + 1])
{
	if (year < 2000 || year > 9999 || seq < 1 || seq > 99999)
		return -1;
	snprintf(out, CERT_NO_MAX + 1, CERT_NO_PREFIX "-%04d-%03d", year, seq);
	return 0;
}

int cert_no_parse(const char *s, char out[CERT_NO_MAX + 1], int *year, int *seq)
{
	static const size_t plen = sizeof CERT_NO_PREFIX - 1;
	size_t n;
	int y, q;
	if (!s)
		return -1;
	s = trimmed(s, &n);
	/* PREFIX-YYYY-N..NNNNN */
	if (n < plen + 7 || n > plen + 11 || s[plen] != '-' || s[plen + 5] != '-')
		return -1;
	for (size_t i = 0; i < plen; i++)
		if (upper(s[i]) != CERT_NO_PREFIX[i])
			return -1;
	if (digits(s + plen + 1, 4, &y) || digits(s + plen + 6, n - plen - 6, &q))
		return -1;
	if (cert_no_format(y, q, out))
		return -1;
	if (year)
		*year = y;
	if (seq)
		*seq = q;
	return 0;
}

void tracking_no_format(int year, const unsigned char rnd[TRACKING_RANDOM_BYTES],
			char out[TRACKING_NO_LEN + 1])
{
	unsigned long long bits = 0;
	char code[8];
	for (int i = 0; i < TRACKING_RANDOM_BYTES; i++)
		bits = bits << 8 | rnd[i];
	for (int i = 7; i >= 0; i--, bits >>= 5)
		code[i] = crockford[bits & 31];
	unsigned y = (unsigned)(year < 0 ? -year : year) % 10000;
	for (int i = 3; i >= 0; i--, y /= 10)
		out[i] = (char)('0' + y % 10);
	out[4] = '-';
	memcpy(out + 5, code, 4);
	out[9] = '-';
	memcpy(out + 10, code + 4, 4);
	out[TRACKING_NO_LEN] = '\0';
}

/* A typed character as a base-32 digit, with the usual misreadings. */
static int crockford_char(char ch, char *out)
{
	ch = upper(ch);
	if (ch == 'O')
		ch = '0';
	else if (ch == 'I' || ch == 'L')
		ch = '1';
	if (!ch || !strchr(crockford, ch))
		return -1;
	*out = ch;
	return 0;
}

int tracking_no_parse(const char *s, char out[TRACKING_NO_LEN + 1])
{
	char year[4], code[8];
	size_t n, ny = 0, nc = 0;
	if (!s)
		return -1;
	s = trimmed(s, &n);
	if (n > 32)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (ch == '-' || ch == ' ')
			continue;
		if (ny < 4) {
			if (ch < '0' || ch > '9')
				return -1;
			year[ny++] = ch;
		} else if (nc < 8) {
			if (crockford_char(ch, &code[nc]))
				return -1;
			nc++;
		} else {
			return -1;
		}
	}
	if (ny != 4 || nc != 8 || year[0] == '0' || year[0] == '1')
		return -1;
	snprintf(out, TRACKING_NO_LEN + 1, "%.4s-%.4s-%.4s", year, code, code + 4);
	return 0;
}
