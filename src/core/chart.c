#include "core/chart.h"

#include <stdio.h>

#include "core/banned.h"

#define FUNNEL_BAR 22
#define FUNNEL_GAP 4
#define FUNNEL_MARGIN 10 /* on each side: the widest bar is width - 2 margins */

static void add_int(json_object *o, const char *key, long long v)
{
	json_object_object_add(o, key, json_object_new_int64(v));
}

json_object *chart_funnel(const char *const labels[], const long long values[], size_t n)
{
	json_object *out = json_object_new_object(), *stages = json_object_new_array();
	const long long full = CHART_FUNNEL_WIDTH - 2 * FUNNEL_MARGIN;
	long long whole = n && values[0] > 0 ? values[0] : 0;
	for (size_t i = 0; i < n; i++) {
		json_object *s = json_object_new_object();
		long long v = values[i] > 0 ? values[i] : 0;
		long long w = !v ? 0 : !whole || v >= whole ? full : v * full / whole;
		long long y = (long long)i * (FUNNEL_BAR + FUNNEL_GAP);
		if (v && w < 2)
			w = 2;
		add_int(s, "i", (long long)i);
		json_object_object_add(s, "label", json_object_new_string(labels[i]));
		add_int(s, "value", v);
		add_int(s, "x", (CHART_FUNNEL_WIDTH - w) / 2);
		add_int(s, "y", y);
		add_int(s, "w", w);
		add_int(s, "h", FUNNEL_BAR);
		add_int(s, "tx", CHART_FUNNEL_WIDTH / 2);
		add_int(s, "ty", y + FUNNEL_BAR / 2 + 5); /* a 14-unit font's middle */
		json_object_array_add(stages, s);
	}
	add_int(out, "width", CHART_FUNNEL_WIDTH);
	add_int(out, "height", n ? (long long)n * (FUNNEL_BAR + FUNNEL_GAP) - FUNNEL_GAP : 0);
	json_object_object_add(out, "stages", stages);
	return out;
}

long long chart_round_up(long long v)
{
	long long step = 1;
	if (v <= 1)
		return 1;
	for (;;) {
		if (step >= v)
			return step;
		if (2 * step >= v)
			return 2 * step;
		if (5 * step >= v)
			return 5 * step;
		step *= 10;
	}
}

/* The plot area inside the bars' frame: room for the ticks on the left, the
 * group labels and the legend below. */
#define X0 44
#define X1 (CHART_BARS_WIDTH - 8)
#define Y0 12
#define Y1 (CHART_BARS_HEIGHT - 60)

json_object *chart_bars(const char *const groups[], size_t ngroups, const char *const series[],
			size_t nseries, const long long *values)
{
	json_object *out = json_object_new_object(), *gs = json_object_new_array();
	json_object *ticks = json_object_new_array(), *legend = json_object_new_array();
	long long most = 0, top;
	long long gw = ngroups ? (X1 - X0) / (long long)ngroups : 0;
	long long bw = nseries ? gw * 4 / 5 / (long long)nseries : 0;
	for (size_t i = 0; i < ngroups * nseries; i++)
		if (values[i] > most)
			most = values[i];
	top = chart_round_up(most);
	for (size_t g = 0; g < ngroups; g++) {
		json_object *grp = json_object_new_object(), *bars = json_object_new_array();
		long long gx = X0 + (long long)g * gw + gw / 10;
		for (size_t s = 0; s < nseries; s++) {
			json_object *b = json_object_new_object();
			long long v = values[g * nseries + s] > 0 ? values[g * nseries + s] : 0;
			long long h = v * (Y1 - Y0) / top;
			if (v && h < 1)
				h = 1;
			add_int(b, "i", (long long)s);
			json_object_object_add(b, "series", json_object_new_string(series[s]));
			add_int(b, "value", v);
			add_int(b, "x", gx + (long long)s * bw);
			add_int(b, "y", Y1 - h);
			add_int(b, "w", bw > 2 ? bw - 1 : bw);
			add_int(b, "h", h);
			add_int(b, "vy", Y1 - h - 3);
			add_int(b, "cx", gx + (long long)s * bw + bw / 2);
			json_object_array_add(bars, b);
		}
		json_object_object_add(grp, "label", json_object_new_string(groups[g]));
		add_int(grp, "lx", X0 + (long long)g * gw + gw / 2);
		add_int(grp, "ly", Y1 + 18);
		json_object_object_add(grp, "bars", bars);
		json_object_array_add(gs, grp);
	}
	for (int t = 0; t <= 2; t++) {
		json_object *tick = json_object_new_object();
		char label[24];
		long long v = top * t / 2;
		snprintf(label, sizeof label, "%lld", v);
		json_object_object_add(tick, "label", json_object_new_string(label));
		add_int(tick, "y", Y1 - v * (Y1 - Y0) / top);
		add_int(tick, "ty", Y1 - v * (Y1 - Y0) / top + 4);
		add_int(tick, "lx", X0 - 6);
		json_object_array_add(ticks, tick);
	}
	for (size_t s = 0; s < nseries; s++) {
		json_object *l = json_object_new_object();
		add_int(l, "i", (long long)s);
		json_object_object_add(l, "label", json_object_new_string(series[s]));
		add_int(l, "x", X0 + (long long)s * ((X1 - X0) / (long long)nseries));
		add_int(l, "y", CHART_BARS_HEIGHT - 16);
		add_int(l, "ry", CHART_BARS_HEIGHT - 26);
		add_int(l, "tx", X0 + (long long)s * ((X1 - X0) / (long long)nseries) + 16);
		json_object_array_add(legend, l);
	}
	add_int(out, "width", CHART_BARS_WIDTH);
	add_int(out, "height", CHART_BARS_HEIGHT);
	add_int(out, "x0", X0);
	add_int(out, "x1", X1);
	add_int(out, "y0", Y0);
	add_int(out, "y1", Y1);
	json_object_object_add(out, "groups", gs);
	json_object_object_add(out, "ticks", ticks);
	json_object_object_add(out, "legend", legend);
	return out;
}
