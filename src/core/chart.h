/* chart: the geometry of the charts drawn on the server as SVG (no
 * JavaScript): numbers in, a json object of shapes out, which a template
 * draws with its own markup.  Every label stays text for the renderer to
 * escape; this module only computes coordinates (whole SVG user units) and
 * never writes markup.  Pure: no database, no global state.
 *
 * A funnel: stages one under the other, each a bar centred on the width,
 * as wide as its value is of the first stage's (at least 2 units when not
 * zero, so a small stage is still seen):
 *   {"width", "height", "stages": [{"i", "label", "value", "x", "y", "w",
 *    "h", "tx", "ty"}]}   (tx, ty: where its label is written)
 * Grouped bars: one group per category along the x axis (a year), one bar
 * per series in each (a scope category), on a scale from 0 to a round
 * maximum with its ticks:
 *   {"width", "height", "groups": [{"label", "lx", "ly", "bars": [{"i",
 *    "series", "value", "x", "y", "w", "h", "cx", "vy"}]}], "ticks":
 *    [{"label", "y", "lx", "ty"}], "legend": [{"i", "label", "x", "ry",
 *    "tx", "y"}], "x0", "x1", "y0", "y1"}
 *   (cx, vy: where a bar's value is written; lx, ty: a tick's label; ry:
 *   the top of a legend's swatch, tx, y: its text)
 * "i" numbers a stage or series from 0 for its colour class.
 */
#ifndef BIAOGAN_CHART_H
#define BIAOGAN_CHART_H

#include <stddef.h>

#include <json-c/json.h>

#define CHART_FUNNEL_WIDTH 320
#define CHART_BARS_WIDTH 640
#define CHART_BARS_HEIGHT 280

/* n stages; values[0] is the whole (a later larger value is drawn full
 * width).  The caller owns the result. */
json_object *chart_funnel(const char *const labels[], const long long values[], size_t n);
/* values: ngroups rows of nseries values.  The caller owns the result. */
json_object *chart_bars(const char *const groups[], size_t ngroups, const char *const series[],
			size_t nseries, const long long *values);
/* The smallest of 1, 2, 5 x 10^k that is >= v (v >= 1): the top of a scale. */
long long chart_round_up(long long v);

#endif
