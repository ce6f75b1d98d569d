/*
 * NAME
 *	diff 3
 * SUMMARY
 *	unified diff of two texts
 * SYNOPSIS
 *	#include "diff.h"
 *
 *	void	diff_unified(out, a, alen, b, blen, alabel, blabel)
 *	strbuf	*out;
 *	const char *a, *b;
 *	size_t	alen, blen;
 *	const char *alabel, *blabel;
 * DESCRIPTION
 *	diff_unified() appends to out the differences between text a
 *	and text b, line by line, in the unified format of "diff -u"
 *	(three lines of context), so that the dry run of a life-cycle
 *	action shows exactly what it would write. Nothing is appended
 *	when the texts are equal.
 *
 *	The edit script is the shortest one, found with Myers' O(ND)
 *	algorithm: D, the number of changed lines, is small for the
 *	edits postmulti makes.
 */
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "util.h"

#define CONTEXT	3

struct line {
    const char *text;
    size_t  len;			/* with the newline, if any */
};

struct lines {
    struct line *v;
    size_t  n;
};

enum op {
    OP_SAME, OP_DEL, OP_ADD,
};

/* split_lines - cut a text into lines */

static void split_lines(struct lines *ls, const char *text, size_t len)
{
    size_t  cap = 16;

    ls->v = xmalloc(cap * sizeof(*ls->v));
    ls->n = 0;
    for (const char *cp = text, *end = text + len; cp < end;) {
	const char *nl = memchr(cp, '\n', (size_t) (end - cp));
	size_t  n = nl ? (size_t) (nl - cp) + 1 : (size_t) (end - cp);

	if (ls->n == cap)
	    ls->v = xrealloc(ls->v, (cap *= 2) * sizeof(*ls->v));
	ls->v[ls->n].text = cp;
	ls->v[ls->n++].len = n;
	cp += n;
    }
}

/* same_line - equal lines? */

static int same_line(const struct line *x, const struct line *y)
{
    return (x->len == y->len && memcmp(x->text, y->text, x->len) == 0);
}

/* edit_script - the shortest edit script from a to b, as ops */

static enum op *edit_script(const struct lines *a, const struct lines *b, size_t *nops)
{
    long    n = (long) a->n, m = (long) b->n, max = n + m, off = max + 1;
    long   *v = xcalloc((size_t) (2 * max + 3), sizeof(*v));
    long  **trace = xmalloc((size_t) (max + 1) * sizeof(*trace));
    long    d, k, x, y;
    enum op *ops;
    size_t  count = 0;

    for (d = 0; d <= max; d++) {
	for (k = -d; k <= d; k += 2) {
	    if (k == -d || (k != d && v[off + k - 1] < v[off + k + 1]))
		x = v[off + k + 1];		/* down: an added line */
	    else
		x = v[off + k - 1] + 1;		/* right: a deleted line */
	    y = x - k;
	    while (x < n && y < m && same_line(a->v + x, b->v + y))
		x++, y++;
	    v[off + k] = x;
	    if (x >= n && y >= m)
		break;
	}
	trace[d] = xmalloc((size_t) (2 * max + 3) * sizeof(*v));
	memcpy(trace[d], v, (size_t) (2 * max + 3) * sizeof(*v));
	if (k <= d)
	    break;
    }

    /* Walk back from the end, collecting ops in reverse. */
    ops = xmalloc((size_t) (n + m + 1) * sizeof(*ops));
    x = n, y = m;
    for (long dd = d; dd >= 0; dd--) {
	long   *tv = trace[dd];
	long    kk = x - y, prev_k, prev_x, prev_y;

	if (dd == 0) {
	    while (x > 0 && y > 0)
		ops[count++] = OP_SAME, x--, y--;
	    break;
	}
	if (kk == -dd || (kk != dd && trace[dd - 1][off + kk - 1] < trace[dd - 1][off + kk + 1]))
	    prev_k = kk + 1;
	else
	    prev_k = kk - 1;
	prev_x = trace[dd - 1][off + prev_k];
	prev_y = prev_x - prev_k;
	while (x > prev_x && y > prev_y)
	    ops[count++] = OP_SAME, x--, y--;
	ops[count++] = (prev_k == kk + 1) ? OP_ADD : OP_DEL;
	x = prev_x, y = prev_y;
	(void) tv;
    }
    for (long i = 0; i <= d && i <= max; i++)
	free(trace[i]);
    free(trace);
    free(v);
    /* Into forward order. */
    for (size_t i = 0; i < count / 2; i++) {
	enum op t = ops[i];

	ops[i] = ops[count - 1 - i];
	ops[count - 1 - i] = t;
    }
    *nops = count;
    return (ops);
}

/* put_line - one line of a hunk */

static void put_line(strbuf *out, int mark, const struct line *l)
{
    sb_addc(out, mark);
    sb_add(out, l->text, l->len);
    if (l->len == 0 || l->text[l->len - 1] != '\n')
	sb_puts(out, "\n\\ No newline at end of file\n");
}

/* hunk_range - "start,count" as diff -u writes it */

static void hunk_range(strbuf *out, size_t start, size_t count)
{
    if (count == 1)
	sb_printf(out, "%zu", start + 1);
    else
	sb_printf(out, "%zu,%zu", count ? start + 1 : start, count);
}

/* diff_unified - append a unified diff */

void    diff_unified(strbuf *out, const char *a, size_t alen, const char *b,
		             size_t blen, const char *alabel, const char *blabel)
{
    struct lines la, lb;
    enum op *ops;
    size_t  nops, i = 0, ai = 0, bi = 0;
    int     header = 0;

    split_lines(&la, a, alen);
    split_lines(&lb, b, blen);
    ops = edit_script(&la, &lb, &nops);
    while (i < nops) {
	size_t  start, end, as, bs, acount = 0, bcount = 0, j, x, y;

	/* Find the next change, then extend the hunk while changes are near. */
	while (i < nops && ops[i] == OP_SAME)
	    i++, ai++, bi++;
	if (i == nops)
	    break;
	start = i >= CONTEXT ? i - CONTEXT : 0;
	as = ai - (i - start);
	bs = bi - (i - start);
	end = i;
	for (j = i; j < nops; j++) {
	    if (ops[j] != OP_SAME) {
		end = j + 1;
	    } else if (j - end >= 2 * CONTEXT) {
		break;
	    }
	}
	end = end + CONTEXT < nops ? end + CONTEXT : nops;
	for (j = start; j < end; j++) {
	    acount += ops[j] != OP_ADD;
	    bcount += ops[j] != OP_DEL;
	}
	if (!header++)
	    sb_printf(out, "--- %s\n+++ %s\n", alabel, blabel);
	sb_puts(out, "@@ -");
	hunk_range(out, as, acount);
	sb_puts(out, " +");
	hunk_range(out, bs, bcount);
	sb_puts(out, " @@\n");
	for (j = start, x = as, y = bs; j < end; j++) {
	    if (ops[j] == OP_SAME)
		put_line(out, ' ', la.v + x++), y++;
	    else if (ops[j] == OP_DEL)
		put_line(out, '-', la.v + x++);
	    else
		put_line(out, '+', lb.v + y++);
	}
	ai = x, bi = y, i = end;
    }
    free(ops);
    free(la.v);
    free(lb.v);
}
