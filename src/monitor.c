/*
 * NAME
 *	monitor 3
 * SUMMARY
 *	every instance's queues for Prometheus and monitoring plugins
 * SYNOPSIS
 *	#include "monitor.h"
 *
 *	int	monitor_metrics(tab, it, file)
 *	struct insttab *tab;
 *	const struct iteration *it;
 *	const char *file;
 *
 *	int	monitor_check(tab, it, warn, crit)
 *	struct insttab *tab;
 *	const struct iteration *it;
 *	const char *warn;
 *	const char *crit;
 * DESCRIPTION
 *	Both read each selected instance's queues in-process, as
 *	-l -s counts them (queue_walk()), and each message's arrival
 *	time and size from the queue file's own records (qfile.c), as
 *	showq does: no postqueue, showq or postconf process, and not
 *	the file's mtime (Postfix sets a deferred file's mtime to its
 *	next retry). Ages are taken against one time read at the start.
 *
 *	monitor_metrics() prints the Prometheus text exposition format
 *	(-m): the showq histograms of postfix_exporter (same names,
 *	buckets and queue label values), the depth of each queue,
 *	whether each master runs, and one info series per instance;
 *	every series has the label postfix_instance: the instance's
 *	name, or the config directory of a nameless one (two nameless
 *	instances must not make one series). With a file
 *	name (-O), it writes that file atomically instead: a temporary
 *	file in the same directory, then rename(), as node_exporter's
 *	textfile collector needs. It returns 1 when an instance was
 *	damaged or could not be read (with a warning; the others are
 *	still reported), else 0.
 *
 *	monitor_check() is a monitoring plugin (-k): one status line
 *	"POSTMULTI OK|WARNING|CRITICAL|UNKNOWN: ..." with performance
 *	data, and the exit status 0, 1, 2 or 3 of the Monitoring
 *	Plugins guidelines. warn and crit (-w, -c; null when not
 *	given) are comma-separated thresholds: "N" on an instance's
 *	total of queued messages, "QUEUE=N" on one queue, "age=N" on
 *	its oldest message in seconds; a value above the threshold
 *	is a problem. An enabled instance whose master does not run
 *	is critical, a disabled one that runs is a warning, as is a
 *	file in the corrupt queue; what cannot be read is unknown.
 *	The worst state wins (critical, warning, unknown, ok).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "master.h"
#include "monitor.h"
#include "msg.h"
#include "qfile.h"
#include "queue.h"
#include "util.h"

 /*
  * The queues that showq lists, and so the histograms' queue labels:
  * maildrop, incoming, active, deferred, hold (enum queue_kind order).
  */
#define SHOWQ_QUEUES	QUEUE_CORRUPT

 /*
  * postfix_exporter's buckets, spelled as its Go client prints them, so
  * that queries on le="1e+06" keep working.
  */
struct buckets {
    int     n;
    long long le[8];
    const char *text[8];
};

static const struct buckets size_buckets = {
    7, {1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000},
    {"1000", "10000", "100000", "1e+06", "1e+07", "1e+08", "1e+09"},
};
static const struct buckets age_buckets = {
    8, {10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000},
    {"10", "100", "1000", "10000", "100000", "1e+06", "1e+07", "1e+08"},
};

struct hist {
    long long bucket[8];		/* not cumulative: summed when printed */
    long long count;
    long long sum;
};

 /*
  * What was seen of one instance.
  */
struct seen {
    const struct instance *inst;
    struct master_state ms;
    struct queue_counts qc;
    int     readable;			/* queue_walk() succeeded */
    long    depth[QUEUE_KINDS];		/* the messages read */
    struct hist size[SHOWQ_QUEUES];
    struct hist age[SHOWQ_QUEUES];
    long long oldest[SHOWQ_QUEUES];	/* age of the oldest, -1: none */
    long    bad_files;			/* unreadable queue files */
    const char *bad_why;		/* why the last one was */
    char   *bad_name;			/* its name */
};

struct visit_ctx {
    struct seen *s;
    time_t  now;
    int     read_files;			/* read each file's records */
};

/* observe - add a value to a histogram */

static void observe(struct hist *h, const struct buckets *b, long long v)
{
    for (int i = 0; i < b->n; i++) {
	if (v <= b->le[i]) {
	    h->bucket[i]++;
	    break;
	}
    }
    h->count++;
    h->sum += v;
}

/* visit_file - read one message's arrival time and size */

static void visit_file(int kind, int dir_fd, const char *name, int fd,
		               const struct stat *st, void *ptr)
{
    struct visit_ctx *ctx = ptr;
    struct seen *s = ctx->s;
    struct qfile_info info;
    const char *why;

    (void) dir_fd;
    if (kind >= SHOWQ_QUEUES || !ctx->read_files) {
	if (fd >= 0)
	    close(fd);
	s->depth[kind]++;
	return;
    }
    /* The walk opened the file (QUEUE_WALK_OPEN), or says why it could not. */
    if (fd < 0) {
	why = strerror(errno);
    } else if (qfile_info_fd(fd, st, &info, &why) == 0) {
	long long age = (long long) ctx->now - info.arrival_time;

	close(fd);
	/* A clock set back makes a message from the future: age 0. */
	if (age < 0)
	    age = 0;
	s->depth[kind]++;
	observe(s->size + kind, &size_buckets, info.message_size);
	observe(s->age + kind, &age_buckets, age);
	if (age > s->oldest[kind])
	    s->oldest[kind] = age;
	return;
    }
    if (fd >= 0)
	close(fd);
    s->bad_files++;
    s->bad_why = why;
    free(s->bad_name);
    s->bad_name = xasprintf("%s/%s", queue_names[kind], name);
}

/* seen_read - what an instance's master and queues say; 0 or -1 */

static int seen_read(struct seen *s, const struct instance *inst, time_t now, int read_files)
{
    struct visit_ctx ctx = {.s = s, .now = now, .read_files = read_files};
    int     failed = 0;

    memset(s, 0, sizeof(*s));
    s->inst = inst;
    for (int k = 0; k < SHOWQ_QUEUES; k++)
	s->oldest[k] = -1;
    master_state(inst->queue_dir, &s->ms);
    s->readable = queue_walk(inst->queue_dir, &s->qc, read_files ? QUEUE_WALK_OPEN : 0,
			     visit_file, &ctx) == 0;
    health_warn(inst, &s->ms, s->readable ? 0 : s->qc.why);
    if (s->bad_files)
	msg_warn("%s: %ld queue file%s not read, the last %s: %s", inst->config_dir,
		 s->bad_files, s->bad_files > 1 ? "s" : "", s->bad_name, s->bad_why);
    failed = s->ms.run == MASTER_UNKNOWN || !s->readable || s->bad_files > 0;
    return (failed ? -1 : 0);
}

/* seen_free - release what seen_read() allocated */

static void seen_free(struct seen *s)
{
    queue_counts_free(&s->qc);
    free(s->bad_name);
}

/* display_name - an instance's name, or for a nameless one its config directory */

static const char *display_name(const struct instance *inst)
{
    /* Unique, unlike -l's "-": two nameless instances would be one series. */
    return (*inst->name ? inst->name : inst->config_dir);
}

 /*
  * The Prometheus text format.
  */

/* prom_value - a label value, escaped */

static void prom_value(strbuf *out, const char *s)
{
    for (; *s; s++) {
	if (*s == '\\' || *s == '"')
	    sb_printf(out, "\\%c", *s);
	else if (*s == '\n')
	    sb_puts(out, "\\n");
	else
	    sb_addc(out, *s);
    }
}

/* prom_family - the HELP and TYPE lines of a metric */

static void prom_family(strbuf *out, const char *name, const char *type, const char *help)
{
    sb_printf(out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* prom_series - start a series: name{postfix_instance="..." */

static void prom_series(strbuf *out, const char *name, const struct seen *s)
{
    sb_printf(out, "%s{postfix_instance=\"", name);
    prom_value(out, display_name(s->inst));
    sb_addc(out, '"');
}

/* prom_hist - one histogram of every instance and showq queue */

static void prom_hist(strbuf *out, const char *name, const char *help,
		              const struct seen *v, size_t n, int size)
{
    const struct buckets *b = size ? &size_buckets : &age_buckets;
    strbuf  series = STRBUF_INIT;

    prom_family(out, name, "histogram", help);
    for (size_t i = 0; i < n; i++) {
	if (!v[i].readable)
	    continue;
	for (int k = 0; k < SHOWQ_QUEUES; k++) {
	    const struct hist *h = size ? v[i].size + k : v[i].age + k;
	    long long cum = 0;

	    for (int j = 0; j <= b->n; j++) {
		sb_reset(&series);
		sb_printf(&series, "%s_bucket", name);
		prom_series(out, series.s, v + i);
		cum += j < b->n ? h->bucket[j] : 0;
		sb_printf(out, ",queue=\"%s\",le=\"%s\"} %lld\n", queue_names[k],
			  j < b->n ? b->text[j] : "+Inf", j < b->n ? cum : h->count);
	    }
	    sb_reset(&series);
	    sb_printf(&series, "%s_sum", name);
	    prom_series(out, series.s, v + i);
	    sb_printf(out, ",queue=\"%s\"} %lld\n", queue_names[k], h->sum);
	    sb_reset(&series);
	    sb_printf(&series, "%s_count", name);
	    prom_series(out, series.s, v + i);
	    sb_printf(out, ",queue=\"%s\"} %lld\n", queue_names[k], h->count);
	}
    }
    sb_free(&series);
}

/* prom_text - the whole exposition */

static void prom_text(strbuf *out, const struct seen *v, size_t n, int damaged)
{
    prom_family(out, "postfix_instance_info", "gauge",
		"A Postfix instance that postmulti manages, always 1.");
    for (size_t i = 0; i < n; i++) {
	const struct instance *inst = v[i].inst;

	prom_series(out, "postfix_instance_info", v + i);
	sb_puts(out, ",group=\"");
	prom_value(out, *inst->group ? inst->group : "-");
	sb_printf(out, "\",enabled=\"%s\",config_directory=\"", inst->enabled ? "yes" : "no");
	prom_value(out, inst->config_dir);
	sb_puts(out, "\",syslog_name=\"");
	prom_value(out, inst->syslog_name);
	sb_puts(out, "\"} 1\n");
    }
    prom_family(out, "postfix_up", "gauge",
		"Whether the instance's master process runs (1) or not (0).");
    for (size_t i = 0; i < n; i++) {
	if (v[i].ms.run == MASTER_UNKNOWN)
	    continue;
	prom_series(out, "postfix_up", v + i);
	sb_printf(out, "} %d\n", v[i].ms.run == MASTER_RUNNING);
    }
    prom_family(out, "postmulti_queue_readable", "gauge",
		"Whether postmulti could read the instance's queues (1) or not (0).");
    for (size_t i = 0; i < n; i++) {
	prom_series(out, "postmulti_queue_readable", v + i);
	sb_printf(out, "} %d\n", v[i].readable);
    }
    prom_family(out, "postfix_showq_queue_depth", "gauge",
		"Messages in each queue of the instance, corrupt files included.");
    for (size_t i = 0; i < n; i++) {
	if (!v[i].readable)
	    continue;
	for (int k = 0; k < QUEUE_KINDS; k++) {
	    prom_series(out, "postfix_showq_queue_depth", v + i);
	    sb_printf(out, ",queue=\"%s\"} %ld\n", queue_names[k], v[i].depth[k]);
	}
    }
    prom_hist(out, "postfix_showq_message_size_bytes",
	      "Queued messages by size in bytes, as postqueue reports it.", v, n, 1);
    prom_hist(out, "postfix_showq_message_age_seconds",
	      "Queued messages by time since arrival, in seconds.", v, n, 0);
    prom_family(out, "postmulti_damaged_instances", "gauge",
		"Selected instances whose configuration postmulti could not read.");
    sb_printf(out, "postmulti_damaged_instances %d\n", damaged);
}

/* write_all - write a buffer to a file descriptor; 0 or -1 */

static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
	ssize_t n = write(fd, buf, len);

	if (n < 0 && errno == EINTR)
	    continue;
	if (n <= 0)
	    return (-1);
	buf += n;
	len -= (size_t) n;
    }
    return (0);
}

/* write_atomic - replace file with text: a temporary file, then rename */

static void write_atomic(const char *file, const strbuf *text)
{
    char   *tmp = xasprintf("%s.XXXXXX", file);
    int     fd;

    /* The temporary name does not end in ".prom": the collector skips it. */
    if ((fd = mkstemp(tmp)) < 0)
	msg_fatal("create %s.XXXXXX: %s", file, strerror(errno));
    if (fchmod(fd, 0644) < 0 || write_all(fd, text->s, text->len) < 0 || fsync(fd) < 0) {
	int     saved = errno;

	(void) unlink(tmp);
	msg_fatal("write %s: %s", tmp, strerror(saved));
    }
    if (close(fd) < 0 || rename(tmp, file) < 0) {
	int     saved = errno;

	(void) unlink(tmp);
	msg_fatal("replace %s: %s", file, strerror(saved));
    }
    free(tmp);
}

/* seen_all - read every selected instance */

static struct seen *seen_all(struct insttab *tab, const struct iteration *it,
			             int read_files, size_t *np, int *failed, int *damaged)
{
    struct walk w;
    struct instance *inst;
    struct seen *v = xcalloc(tab->n ? tab->n : 1, sizeof(*v));
    size_t  n = 0;
    time_t  now = time(0);

    walk_init(&w, tab, it);
    while ((inst = walk_next(&w, it->reverse)) != 0) {
	if (seen_read(v + n, inst, now, read_files) < 0)
	    *failed = 1;
	n++;
    }
    /* A selection that matches nothing is a mistake in the monitoring. */
    if (n == 0 && w.damaged == 0)
	walk_no_match(&w, 0, 0);
    if (w.failed)
	*failed = 1;
    *damaged = w.damaged;
    *np = n;
    return (v);
}

/* monitor_metrics - the Prometheus text of the selected instances */

int     monitor_metrics(struct insttab *tab, const struct iteration *it, const char *file)
{
    strbuf  out = STRBUF_INIT;
    size_t  n;
    int     failed = 0, damaged = 0;
    struct seen *v = seen_all(tab, it, 1, &n, &failed, &damaged);

    prom_text(&out, v, n, damaged);
    if (file) {
	write_atomic(file, &out);
    } else if (write_all(1, out.s, out.len) < 0) {
	msg_fatal("write standard output: %s", strerror(errno));
    }
    for (size_t i = 0; i < n; i++)
	seen_free(v + i);
    free(v);
    sb_free(&out);
    return (failed);
}

 /*
  * The monitoring check.
  */
enum state {
    STATE_OK, STATE_WARNING, STATE_CRITICAL, STATE_UNKNOWN,
};

static const char *const state_names[] = {"OK", "WARNING", "CRITICAL", "UNKNOWN"};

/* worse - the worse of two states: critical, warning, unknown, ok */

static enum state worse(enum state a, enum state b)
{
    static const int rank[] = {0, 2, 3, 1};

    return (rank[a] >= rank[b] ? a : b);
}

 /*
  * One set of thresholds (-w or -c): -1 where none was given.
  */
#define LIMIT_TOTAL	SHOWQ_QUEUES	/* the sum of the showq queues */
#define LIMIT_AGE	(SHOWQ_QUEUES + 1)
#define LIMITS		(SHOWQ_QUEUES + 2)

struct limits {
    long long v[LIMITS];
};

/* limits_parse - "N", "QUEUE=N", "age=N", comma-separated */

static void limits_parse(struct limits *lim, const char *opt, const char *arg)
{
    strlist items = STRLIST_INIT;

    for (int i = 0; i < LIMITS; i++)
	lim->v[i] = -1;
    if (arg == 0)
	return;
    sl_split(&items, arg, ",");
    if (items.n == 0)
	msg_fatal("%s: give a threshold, such as deferred=50", opt);
    for (size_t i = 0; i < items.n; i++) {
	const char *item = items.v[i], *eq = strchr(item, '='), *num = eq ? eq + 1 : item;
	int     which = -1;
	char   *end;
	long long val;

	if (eq == 0) {
	    which = LIMIT_TOTAL;
	} else if ((size_t) (eq - item) == 3 && strncmp(item, "age", 3) == 0) {
	    which = LIMIT_AGE;
	} else {
	    for (int k = 0; k < SHOWQ_QUEUES; k++)
		if (strlen(queue_names[k]) == (size_t) (eq - item)
		    && strncmp(item, queue_names[k], (size_t) (eq - item)) == 0)
		    which = k;
	    if (which < 0)
		msg_fatal("%s: unknown queue in \"%s\"; use maildrop, incoming, active,"
			  " deferred, hold, age or a bare number", opt, item);
	}
	errno = 0;
	val = strtoll(num, &end, 10);
	if (*num < '0' || *num > '9' || *end || errno)
	    msg_fatal("%s: \"%s\" is not a count: give a whole number, such as deferred=50",
		      opt, item);
	lim->v[which] = val;
    }
    sl_free(&items);
}

/* limit_text - a threshold for the performance data, "" when none */

static void limit_text(strbuf *out, long long v)
{
    if (v >= 0)
	sb_printf(out, "%lld", v);
}

/* perf_label - a performance data label: no quote, no "=" */

static void perf_label(strbuf *out, const char *name, const char *what)
{
    sb_addc(out, '\'');
    for (const char *s = name; *s; s++)
	sb_addc(out, *s == '\'' || *s == '=' || (unsigned char) *s < ' ' ? '_' : *s);
    sb_printf(out, "/%s'=", what);
}

/* perf_item - one 'label'=value[UOM];warn;crit;0 */

static void perf_item(strbuf *out, const char *name, const char *what, long long val,
		              const char *uom, long long warn, long long crit)
{
    sb_addc(out, ' ');
    perf_label(out, name, what);
    sb_printf(out, "%lld%s;", val, uom);
    limit_text(out, warn);
    sb_addc(out, ';');
    limit_text(out, crit);
    sb_puts(out, ";0;");
}

/* problem - note one problem and its state */

static void problem(strlist *list, enum state *st, enum state now, char *text)
{
    *st = worse(*st, now);
    sl_add_owned(list, xasprintf("%s %s", state_names[now], text));
    free(text);
}

/* check_limit - compare a value against the thresholds of one item */

static void check_limit(strlist *list, enum state *st, const char *name, const char *what,
			        long long val, long long warn, long long crit)
{
    if (crit >= 0 && val > crit)
	problem(list, st, STATE_CRITICAL, xasprintf("%s: %s %lld > %lld", name, what, val, crit));
    else if (warn >= 0 && val > warn)
	problem(list, st, STATE_WARNING, xasprintf("%s: %s %lld > %lld", name, what, val, warn));
}

/* check_fatal - a fatal error is the check's UNKNOWN line */

static void check_fatal(const char *text)
{
    printf("POSTMULTI UNKNOWN: %s\n", text);
}

/* monitor_check_setup - from here on, a fatal error is UNKNOWN */

void    monitor_check_setup(void)
{
    msg_fatal_status = STATE_UNKNOWN;
    msg_fatal_hook = check_fatal;
}

/* monitor_check - the monitoring plugin */

int     monitor_check(struct insttab *tab, const struct iteration *it,
		              const char *warn_arg, const char *crit_arg)
{
    struct limits warn, crit;
    strlist problems = STRLIST_INIT;
    strbuf  perf = STRBUF_INIT;
    enum state st = STATE_OK;
    size_t  n;
    int     failed = 0, damaged = 0, running = 0;
    long long total_all = 0;
    struct seen *v;

    limits_parse(&warn, "-w", warn_arg);
    limits_parse(&crit, "-c", crit_arg);
    /* Arrival times only when an age is checked; else counting is enough. */
    v = seen_all(tab, it, warn.v[LIMIT_AGE] >= 0 || crit.v[LIMIT_AGE] >= 0,
		 &n, &failed, &damaged);
    if (damaged)
	problem(&problems, &st, STATE_UNKNOWN,
		xasprintf("%d instance%s not readable (see standard error)",
			  damaged, damaged > 1 ? "s" : ""));
    for (size_t i = 0; i < n; i++) {
	const struct seen *s = v + i;
	const char *name = display_name(s->inst);
	long long total = 0, oldest = -1;

	if (s->ms.run == MASTER_UNKNOWN)
	    problem(&problems, &st, STATE_UNKNOWN, xasprintf("%s: master state unknown", name));
	else if (s->ms.run == MASTER_RUNNING)
	    running++;
	if (s->inst->enabled && s->ms.run == MASTER_STOPPED)
	    problem(&problems, &st, STATE_CRITICAL, xasprintf("%s: enabled, not running", name));
	if (!s->inst->enabled && s->ms.run == MASTER_RUNNING)
	    problem(&problems, &st, STATE_WARNING, xasprintf("%s: disabled, running", name));
	if (!s->readable) {
	    problem(&problems, &st, STATE_UNKNOWN, xasprintf("%s: queues unknown", name));
	    continue;
	}
	if (s->bad_files)
	    problem(&problems, &st, STATE_UNKNOWN,
		    xasprintf("%s: %ld queue file%s not read", name, s->bad_files,
			      s->bad_files > 1 ? "s" : ""));
	for (int k = 0; k < SHOWQ_QUEUES; k++) {
	    total += s->depth[k];
	    if (s->oldest[k] > oldest)
		oldest = s->oldest[k];
	    check_limit(&problems, &st, name, queue_names[k], s->depth[k],
			warn.v[k], crit.v[k]);
	    perf_item(&perf, name, queue_names[k], s->depth[k], "", warn.v[k], crit.v[k]);
	}
	check_limit(&problems, &st, name, "total", total, warn.v[LIMIT_TOTAL],
		    crit.v[LIMIT_TOTAL]);
	perf_item(&perf, name, "total", total, "", warn.v[LIMIT_TOTAL], crit.v[LIMIT_TOTAL]);
	if (s->depth[QUEUE_CORRUPT] > 0)
	    problem(&problems, &st, STATE_WARNING,
		    xasprintf("%s: %ld file%s in the corrupt queue", name,
			      s->depth[QUEUE_CORRUPT], s->depth[QUEUE_CORRUPT] > 1 ? "s" : ""));
	perf_item(&perf, name, "corrupt", s->depth[QUEUE_CORRUPT], "", -1, -1);
	if (warn.v[LIMIT_AGE] >= 0 || crit.v[LIMIT_AGE] >= 0) {
	    if (oldest < 0)
		oldest = 0;
	    check_limit(&problems, &st, name, "oldest message age", oldest,
			warn.v[LIMIT_AGE], crit.v[LIMIT_AGE]);
	    perf_item(&perf, name, "age", oldest, "s", warn.v[LIMIT_AGE], crit.v[LIMIT_AGE]);
	}
	total_all += total;
    }
    /* The status line: the worst problems first, then the summary. */
    printf("POSTMULTI %s: ", state_names[st]);
    for (int o = 0; o < 3; o++) {
	static const enum state order[] = {STATE_CRITICAL, STATE_WARNING, STATE_UNKNOWN};
	size_t  len = strlen(state_names[order[o]]);

	for (size_t i = 0; i < problems.n; i++)
	    if (strncmp(problems.v[i], state_names[order[o]], len) == 0
		&& problems.v[i][len] == ' ')
		printf("%s; ", problems.v[i] + len + 1);
    }
    printf("%zu instance%s, %d running, %lld message%s queued%s%s\n", n, n == 1 ? "" : "s",
	   running, total_all, total_all == 1 ? "" : "s", perf.len ? " |" : "",
	   perf.len ? perf.s : "");
    if (fflush(stdout) != 0 || ferror(stdout))
	msg_fatal("write standard output: %s", strerror(errno));
    for (size_t i = 0; i < n; i++)
	seen_free(v + i);
    free(v);
    sl_free(&problems);
    sb_free(&perf);
    (void) failed;
    return ((int) st);
}
