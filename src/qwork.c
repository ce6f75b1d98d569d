/*
 * NAME
 *	qwork 3
 * SUMMARY
 *	queue work: list, select and act on the messages of every instance
 * SYNOPSIS
 *	#include "qwork.h"
 *
 *	int	qwork_action_known(action)
 *	const char *action;
 *
 *	int	qwork_run(tab, it, action, args, dry_run)
 *	struct insttab *tab;
 *	const struct iteration *it;
 *	const char *action;
 *	char	**args;
 *	int	dry_run;
 * DESCRIPTION
 *	qwork_run() is -Q: it reads the messages of each selected
 *	instance in-process, queue file by queue file (queue_walk(),
 *	qfile_envelope_fd()), with each message's delay reasons from its
 *	defer log, as showq reports them to "postqueue -j": the same
 *	members, the same sender and recipients (the local part quoted
 *	where it is not a dot-string, bytes that are not printable, or
 *	not valid UTF-8 with smtputf8_enable, shown as "?"), the
 *	recipients of the defer log first, then those of the queue file
 *	that the log does not name (the defer logs are looked up once per
 *	instance, before its queues are read: a log written meanwhile is
 *	not read). No postqueue or showq process runs,
 *	and memory does not grow with the number of messages: each is
 *	printed when it has been read.
 *
 *	args are filters, name=value, all of which a message must pass:
 *	queue=NAME[,NAME...], id=ID[,ID...], sender=PATTERN,
 *	recipient=PATTERN (one recipient is enough), older=AGE,
 *	younger=AGE (since arrival; AGE a number with an optional unit
 *	s, m, h, d or w), larger=SIZE, smaller=SIZE (bytes, or with a
 *	unit k, m or g: 1024, 1024^2, 1024^3), reason=TEXT (one
 *	recipient's delay reason contains TEXT, in any case). A PATTERN
 *	is "<>" (the null sender), "@domain" (any address in that
 *	domain), a shell pattern when it has *, ? or [, else one
 *	address; letters match in any case.
 *
 *	The action "list" prints the selected messages: with -j one
 *	JSON object per line (the instance's name, "-" for a nameless
 *	one, and config directory, then postqueue -j's members), else in
 *	postqueue -p's layout, under a line "# NAME CONFIG_DIR" per
 *	instance. The action "shape" prints qshape's age-by-domain table
 *	of each instance (qshape.c reads the files as qshape does; the
 *	incoming and active queues unless queue= says otherwise; no
 *	other filter), then their sum. The actions hold, release, requeue, delete and expire
 *	run Postfix's own postsuper -h, -H, -r, -d or -e once per
 *	instance with the selected queue IDs on its standard input;
 *	flush runs postqueue -i once per selected message (postqueue
 *	takes one queue ID). With dry_run they print the listing of the
 *	messages they would act on, and change nothing.
 *
 *	The message acted on is the message listed: each selected
 *	message's queue file stays open, from the moment it was read
 *	until postsuper has ended. A queue ID contains its file's inode
 *	number, and the file system gives no other file that inode
 *	while it is open, so no other message can have that queue ID
 *	meanwhile: postsuper finds the selected message, or none (when
 *	it has left the queue). After the run, the report says per
 *	instance how many messages postsuper acted on (its own lines,
 *	one per queue ID) and which it did not: gone (delivered or
 *	removed meanwhile), or left alone (not in a queue that the
 *	postsuper option works on). When more messages are selected
 *	than files may be open, postsuper runs once per batch.
 *
 *	The result is 1 when an instance or a queue could not be read,
 *	or a postsuper run failed (each with a warning), else 0.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "command.h"
#include "maincf.h"
#include "msg.h"
#include "qfile.h"
#include "qshape.h"
#include "qtext.h"
#include "queue.h"
#include "qwork.h"
#include "util.h"

#define QWORK_LOG_LIMIT	(64 * 1024 * 1024)	/* a defer log read, at most */
#define QWORK_HASH_DEPTH	16		/* defer log subdirectory levels scanned */

 /*
  * The actions: the postsuper option and the text it prints per queue
  * ID. flush is postqueue -i.
  */
enum qaction {
    QA_LIST, QA_SHAPE, QA_HOLD, QA_RELEASE, QA_REQUEUE, QA_DELETE, QA_EXPIRE, QA_FLUSH,
};

static const struct qaction_info {
    const char *name;
    const char *option;			/* postsuper's, or postqueue's -i */
    const char *verb;			/* postsuper's "ID: verb" */
    const char *done;			/* the report's words */
} qactions[] = {
    [QA_LIST] = {.name = "list"},
    [QA_SHAPE] = {.name = "shape"},
    [QA_HOLD] = {.name = "hold", .option = "-h", .verb = "placed on hold",
	.done = "placed on hold"},
    [QA_RELEASE] = {.name = "release", .option = "-H", .verb = "released from hold",
	.done = "released from hold"},
    [QA_REQUEUE] = {.name = "requeue", .option = "-r", .verb = "requeued",
	.done = "requeued"},
    [QA_DELETE] = {.name = "delete", .option = "-d", .verb = "removed",
	.done = "deleted"},
    [QA_EXPIRE] = {.name = "expire", .option = "-e", .verb = "expired",
	.done = "expired"},
    [QA_FLUSH] = {.name = "flush", .option = "-i", .done = "scheduled for delivery"},
};

#define QACTIONS	(sizeof(qactions) / sizeof(qactions[0]))

 /*
  * The filters; -1 or null where not given.
  */
struct qfilter {
    unsigned queues;			/* 1 << enum queue_kind; 0: all */
    strlist ids;
    const char *sender;
    const char *recipient;
    const char *reason;
    long long older, younger, larger, smaller;
    unsigned given;			/* 1 << enum filter_key, each given */
};

 /*
  * A set of strings (showq's duplicate filter), open addressing.
  */
struct strset {
    char  **slot;
    size_t  cap, used;
};

 /*
  * One message, as it is read.
  */
struct qmsg {
    int     kind;
    const char *id;
    struct qfile_info info;
    int     forced_expire;
    int     sender_null;
    strbuf  sender;			/* display form */
    strlist addr;			/* recipients, showq's order */
    strlist why;			/* their delay reasons, "" for none */
    strlist file_rcpt;			/* the queue file's, display form */
};

 /*
  * A message selected for an action: its file stays open.
  */
struct held {
    char   *id;
    int     fd;
    int     done;
};

 /*
  * One instance at work.
  */
struct qinst {
    const struct instance *inst;
    int     utf8;			/* smtputf8_enable */
    char   *empty_addr;			/* empty_address_recipient */
    long    dup_limit;			/* duplicate_filter_limit */
    int     long_ids;			/* enable_long_queue_ids */
    int     defer_fd;			/* queue_dir/defer, or -1 */
    struct strset defer_names;		/* the defer logs found there */
    long    listed;			/* messages selected */
    long long bytes;			/* their sizes */
    long    bad;			/* queue files not read */
    char   *bad_name;
    const char *bad_why;
    struct held *held;
    size_t  nheld, capheld;
    QSHAPE *shape;			/* -Q shape: the instance's table */
    long    acted, gone, left;		/* the action's report */
    strlist acted_ids, gone_ids, left_ids;
    int     failed;
};

struct qrun {
    enum qaction action;
    const struct iteration *it;
    struct qfilter filter;
    int     dry_run;
    int     walk_open;			/* the walk opens the files (no id= filter) */
    time_t  now;
    size_t  fd_budget;			/* selected files held open at most */
    char   *command_dir;
    strlist env;
    struct qinst *qi;
    struct qmsg msg;
    strbuf  out;
    int     headings;			/* instance headings printed */
    QSHAPE *shape_total;		/* -Q shape: the sum of the instances */
};

/* qwork_action_known - is this a -Q action? */

int     qwork_action_known(const char *name)
{
    for (size_t i = 0; i < QACTIONS; i++)
	if (strcmp(qactions[i].name, name) == 0)
	    return (1);
    return (0);
}

 /*
  * The filters.
  */

struct unit {
    char    name;
    long long mult;
};

/* scaled - "N" or "N" and one unit letter, multiplied; -1 when malformed */

static long long scaled(const char *s, const struct unit *units, size_t n, int any_case)
{
    char   *end;
    long long val;

    if (*s < '0' || *s > '9')
	return (-1);
    errno = 0;
    val = strtoll(s, &end, 10);
    if (errno)
	return (-1);
    if (*end == 0)
	return (val);
    for (size_t i = 0; i < n; i++)
	if ((end[0] == units[i].name || (any_case && (end[0] | 0x20) == units[i].name))
	    && end[1] == 0)
	    return (val > LLONG_MAX / units[i].mult ? -1 : val * units[i].mult);
    return (-1);
}

/* qwork_duration - seconds of "N[smhdw]", -1 when malformed */

long long qwork_duration(const char *s)
{
    static const struct unit units[] = {
	{'s', 1}, {'m', 60}, {'h', 3600}, {'d', 86400}, {'w', 604800},
    };

    return (scaled(s, units, sizeof(units) / sizeof(units[0]), 0));
}

/* qwork_size - bytes of "N[kmg]" (any case), -1 when malformed */

long long qwork_size(const char *s)
{
    static const struct unit units[] = {
	{'k', 1024LL}, {'m', 1024LL * 1024}, {'g', 1024LL * 1024 * 1024},
    };

    return (scaled(s, units, sizeof(units) / sizeof(units[0]), 1));
}

/* qwork_addr_match - does an address (display form) match a pattern? */

int     qwork_addr_match(const char *pat, const char *addr, int null_addr)
{
    const char *at;

    if (strcmp(pat, "<>") == 0)
	return (null_addr);
    if (strpbrk(pat, "*?[") != 0)
	return (fnmatch(pat, addr, FNM_CASEFOLD) == 0);
    if (pat[0] == '@')
	return ((at = strrchr(addr, '@')) != 0 && strcasecmp(at + 1, pat + 1) == 0);
    return (strcasecmp(pat, addr) == 0);
}

/*
 * The filter names, with the example that a mistake's message shows.
 */
enum filter_key {
    FK_QUEUE, FK_ID, FK_SENDER, FK_RECIPIENT, FK_OLDER, FK_YOUNGER, FK_LARGER, FK_SMALLER,
    FK_REASON, FK_KEYS,
};

static const struct {
    const char *name;
    const char *example;
} filter_keys[FK_KEYS] = {
    [FK_QUEUE] = {"queue", "queue=deferred"},
    [FK_ID] = {"id", "id=4F0E53A0B4"},
    [FK_SENDER] = {"sender", "sender=<>"},
    [FK_RECIPIENT] = {"recipient", "recipient=@example.com"},
    [FK_OLDER] = {"older", "older=2h"},
    [FK_YOUNGER] = {"younger", "younger=10m"},
    [FK_LARGER] = {"larger", "larger=10m"},
    [FK_SMALLER] = {"smaller", "smaller=1k"},
    [FK_REASON] = {"reason", "reason=\"Connection timed out\""},
};

/* filter_parse - the name=value filters */

static void filter_parse(struct qfilter *f, char **args)
{
    memset(f, 0, sizeof(*f));
    f->older = f->younger = f->larger = f->smaller = -1;
    for (; *args; args++) {
	const char *arg = *args, *eq = strchr(arg, '='), *val;
	enum filter_key key;

	if (eq == 0)
	    msg_fatal("\"%s\": expected a filter name=value, such as queue=deferred"
		      " (options must come before filters)", arg);
	val = eq + 1;
	for (key = 0; key < FK_KEYS; key++)
	    if (strlen(filter_keys[key].name) == (size_t) (eq - arg)
		&& strncmp(arg, filter_keys[key].name, (size_t) (eq - arg)) == 0)
		break;
	if (key == FK_KEYS)
	    msg_fatal("\"%s\": unknown filter; use queue, id, sender, recipient, older,"
		      " younger, larger, smaller or reason", arg);
	if (f->given & (1U << key))
	    msg_fatal("specify the filter %s only once (queue and id take a list"
		      " separated by commas)", filter_keys[key].name);
	f->given |= 1U << key;
	/* The null sender is "<>": an empty value is a mistake. */
	if (*val == 0)
	    msg_fatal("\"%s\": give a value, such as %s", arg, filter_keys[key].example);
	switch (key) {
	case FK_QUEUE:{
		strlist q = STRLIST_INIT;

		sl_split(&q, val, ", ");
		for (size_t i = 0; i < q.n; i++) {
		    int     k;

		    for (k = 0; k < QUEUE_CORRUPT; k++)
			if (strcmp(q.v[i], queue_names[k]) == 0)
			    break;
		    if (k == QUEUE_CORRUPT)
			msg_fatal("queue=%s: unknown queue \"%s\"; use maildrop, incoming,"
				  " active, deferred or hold", val, q.v[i]);
		    f->queues |= 1U << k;
		}
		sl_free(&q);
		break;
	    }
	case FK_ID:
	    sl_split(&f->ids, val, ", ");
	    for (size_t i = 0; i < f->ids.n; i++)
		if (!queue_id_ok(f->ids.v[i]))
		    msg_fatal("id=%s: \"%s\" is not a queue ID", val, f->ids.v[i]);
	    break;
	case FK_SENDER:
	    f->sender = val;
	    break;
	case FK_RECIPIENT:
	    f->recipient = val;
	    break;
	case FK_OLDER:
	case FK_YOUNGER:
	    if (qwork_duration(val) < 0)
		msg_fatal("\"%s\": not a time; give a number with an optional unit"
			  " s, m, h, d or w, such as %s", arg, filter_keys[key].example);
	    *(key == FK_OLDER ? &f->older : &f->younger) = qwork_duration(val);
	    break;
	case FK_LARGER:
	case FK_SMALLER:
	    if (qwork_size(val) < 0)
		msg_fatal("\"%s\": not a size; give a number of bytes with an optional"
			  " unit k, m or g, such as %s", arg, filter_keys[key].example);
	    *(key == FK_LARGER ? &f->larger : &f->smaller) = qwork_size(val);
	    break;
	case FK_REASON:
	case FK_KEYS:
	    f->reason = val;
	    break;
	}
    }
}

/* filter_pass - does a message pass every filter? */

static int filter_pass(const struct qfilter *f, const struct qmsg *m, time_t now)
{
    long long age = (long long) now - m->info.arrival_time;
    int     ok;

    if (f->older >= 0 && !(age > f->older))
	return (0);
    if (f->younger >= 0 && !(age < f->younger))
	return (0);
    if (f->larger >= 0 && !(m->info.message_size > f->larger))
	return (0);
    if (f->smaller >= 0 && !(m->info.message_size < f->smaller))
	return (0);
    if (f->sender && !qwork_addr_match(f->sender, m->sender.s, m->sender_null))
	return (0);
    if (f->recipient) {
	ok = 0;
	for (size_t i = 0; i < m->addr.n; i++)
	    if (qwork_addr_match(f->recipient, m->addr.v[i], 0))
		ok = 1;
	if (!ok)
	    return (0);
    }
    if (f->reason) {
	ok = 0;
	for (size_t i = 0; i < m->why.n; i++)
	    if (strcasestr(m->why.v[i], f->reason) != 0)
		ok = 1;
	if (!ok)
	    return (0);
    }
    return (1);
}

 /*
  * showq's duplicate filter.
  */

/* set_hash - FNV-1a */

static size_t set_hash(const char *s)
{
    size_t  h = 2166136261u;

    for (; *s; s++)
	h = (h ^ (unsigned char) *s) * 16777619u;
    return (h);
}

/* set_find - the slot that holds s, or the empty one where it would go; null if none */

static char **set_find(const struct strset *set, const char *s)
{
    size_t  i;

    if (set->cap == 0)
	return (0);
    for (i = set_hash(s) & (set->cap - 1); set->slot[i]; i = (i + 1) & (set->cap - 1))
	if (strcmp(set->slot[i], s) == 0)
	    break;
    return (&set->slot[i]);
}

/* set_has - is s in the set? */

static int set_has(const struct strset *set, const char *s)
{
    char  **slot = set_find(set, s);

    return (slot != 0 && *slot != 0);
}

/* set_grow - room for one more */

static void set_grow(struct strset *set)
{
    if (2 * (set->used + 1) > set->cap) {
	struct strset bigger = {.cap = set->cap ? 2 * set->cap : 64};

	bigger.slot = xcalloc(bigger.cap, sizeof(char *));
	for (size_t i = 0; i < set->cap; i++) {
	    if (set->slot[i] == 0)
		continue;
	    size_t  j = set_hash(set->slot[i]) & (bigger.cap - 1);

	    while (bigger.slot[j])
		j = (j + 1) & (bigger.cap - 1);
	    bigger.slot[j] = set->slot[i];
	}
	bigger.used = set->used;
	free(set->slot);
	*set = bigger;
    }
}

/* set_add - add s to the set (if not there) */

static void set_add(struct strset *set, const char *s)
{
    if (set_has(set, s))
	return;
    set_grow(set);
    *set_find(set, s) = xstrdup(s);
    set->used++;
}

/* set_free - empty a set */

static void set_free(struct strset *set)
{
    for (size_t i = 0; i < set->cap; i++)
	free(set->slot[i]);
    free(set->slot);
    memset(set, 0, sizeof(*set));
}

 /*
  * The defer log of a message.
  */

/* qwork_hash_chars - the characters that name a queue ID's hash directories */

void    qwork_hash_chars(const char *id, char *buf, size_t size)
{
    static const char digits[] = "0123456789BCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz";
    const char *z = strrchr(id, 'z');

    /* A long queue ID: the microseconds before the "z", in hexadecimal. */
    if (z != 0 && z - id >= 10) {
	unsigned long usec = 0;

	for (const char *cp = z - 4; cp < z; cp++) {
	    const char *d = strchr(digits, *cp);

	    if (*cp == 0 || d == 0) {
		usec = 0;
		break;
	    }
	    usec = usec * 52 + (unsigned long) (d - digits);
	}
	snprintf(buf, size, "%05lX", usec);
    } else {
	snprintf(buf, size, "%s", id);
    }
}

/* defer_note - a defer log found at rel (under defer/), where showq would look for id */

static void defer_note(struct strset *set, const char *id, const char *rel)
{
    char  **slot = set_find(set, id);
    size_t  idlen = strlen(id), rlen = strlen(rel);
    char   *entry;

    /* One entry per ID, "ID\0PATH": the shallowest place, the first that showq tries. */
    if (slot != 0 && *slot != 0) {
	if (strlen(*slot + idlen + 1) <= rlen)
	    return;
	free(*slot);
    } else {
	set_grow(set);
	slot = set_find(set, id);
	set->used++;
    }
    entry = xmalloc(idlen + 1 + rlen + 1);
    memcpy(entry, id, idlen + 1);
    memcpy(entry + idlen + 1, rel, rlen + 1);
    *slot = entry;
}

/* defer_path - where id's defer log is, under defer/; null if it has none */

static const char *defer_path(const struct strset *set, const char *id)
{
    char  **slot = set_find(set, id);

    return (slot != 0 && *slot != 0 ? *slot + strlen(*slot) + 1 : 0);
}

/* defer_reasons - the recipients and reasons of a defer log, as showq reads them */

static void defer_reasons(struct qrun *run, int fd, struct strset *dup)
{
    struct qmsg *m = &run->msg;
    strbuf  text = STRBUF_INIT, addr = STRBUF_INIT, why = STRBUF_INIT;
    int     found = 0;
    size_t  pos = 0;

    /* A log larger than the limit gives no reasons. */
    if (read_fd(fd, &text, QWORK_LOG_LIMIT) < 0)
	text.len = 0;
    while (pos < text.len) {
	char   *line = text.s + pos, *nl = memchr(line, '\n', text.len - pos), *cp;

	/* Each line, up to a NUL in it, made printable first. */
	if (nl)
	    *nl = 0;
	else
	    text.s[text.len] = 0;
	pos = nl ? (size_t) (nl - text.s) + 1 : text.len;
	qtext_printable(line, run->qi->utf8);
	if (*line == 0) {
	    /* A blank line ends an entry: the only way one is reported. */
	    if (found) {
		const char *a = addr.len ? addr.s : "(recipient address unavailable)";

		if (run->qi->dup_limit == 0 || (long) dup->used < run->qi->dup_limit)
		    set_add(dup, a);
		sl_add(&m->addr, a);
		sl_add(&m->why, why.len ? why.s : "(description unavailable)");
	    }
	    found = 0;
	    sb_reset(&addr);
	    sb_reset(&why);
	    continue;
	}
	found = 1;
	if ((*line >= '0' && *line <= '9') || ((*line | 0x20) >= 'a' && (*line | 0x20) <= 'z')) {
	    char   *name = line, *ep, *val;
	    size_t  vlen;

	    /* name = value, the value without white space around it */
	    for (ep = name; *ep && !ascii_space(*ep) && *ep != '='; ep++)
		 /* void */ ;
	    for (cp = ep; *cp && ascii_space(*cp); cp++)
		 /* void */ ;
	    if (*cp != '=')
		continue;
	    *ep = 0;
	    for (val = cp + 1; *val && ascii_space(*val); val++)
		 /* void */ ;
	    for (vlen = strlen(val); vlen > 0 && ascii_space(val[vlen - 1]); vlen--)
		 /* void */ ;
	    val[vlen] = 0;
	    if (strcmp(name, "recipient") == 0) {
		sb_reset(&addr);
		sb_puts(&addr, *val ? val : "(MAILER-DAEMON)");
	    } else if (strcmp(name, "reason") == 0) {
		sb_reset(&why);
		sb_puts(&why, val);
	    }
	    continue;
	}
	/* The older form: <recipient>: reason */
	if (*line != '<' || (cp = strstr(line + 1, ">: ")) == 0)
	    continue;
	*cp = 0;
	sb_reset(&addr);
	sb_puts(&addr, line[1] ? line + 1 : "(MAILER-DAEMON)");
	for (cp += 2; *cp && ascii_space(*cp); cp++)
	     /* void */ ;
	sb_reset(&why);
	sb_puts(&why, cp);
    }
    sb_free(&text);
    sb_free(&addr);
    sb_free(&why);
}

 /*
  * Reading a message.
  */

/* env_sender - the sender record */

static void env_sender(void *ptr, const char *data, size_t len)
{
    struct qrun *run = ptr;

    run->msg.sender_null = strnlen(data, len) == 0;
    qtext_display(&run->msg.sender, data, len, run->qi->empty_addr, run->qi->utf8);
}

/* env_recipient - a recipient record */

static void env_recipient(void *ptr, const char *data, size_t len)
{
    struct qrun *run = ptr;
    strbuf  disp = STRBUF_INIT;

    qtext_display(&disp, data, len, run->qi->empty_addr, run->qi->utf8);
    sl_add_owned(&run->msg.file_rcpt, sb_take(&disp));
}

/* msg_reset - ready for the next message */

static void msg_reset(struct qmsg *m)
{
    sb_reset(&m->sender);
    sl_free(&m->addr);
    sl_free(&m->why);
    sl_free(&m->file_rcpt);
    m->sender_null = 0;
}

 /*
  * Output.
  */

/* out_flush - write what is buffered */

static void out_flush(struct qrun *run)
{
    if (run->out.len && fwrite(run->out.s, 1, run->out.len, stdout) != run->out.len)
	msg_fatal("write standard output: %s", strerror(errno));
    sb_reset(&run->out);
}

/* inst_label - an instance's name, "-" for a nameless one */

static const char *inst_label(const struct instance *inst)
{
    return (*inst->name ? inst->name : "-");
}

/* print_json - one message, postqueue -j's members after the instance's */

static void print_json(struct qrun *run)
{
    const struct qmsg *m = &run->msg;
    strbuf *o = &run->out;

    sb_puts(o, "{\"instance\": ");
    sb_json(o, inst_label(run->qi->inst));
    sb_puts(o, ", \"config_directory\": ");
    sb_json(o, run->qi->inst->config_dir);
    sb_printf(o, ", \"queue_name\": \"%s\", \"queue_id\": ", queue_names[m->kind]);
    sb_json(o, m->id);
    sb_printf(o, ", \"arrival_time\": %lld, \"message_size\": %lld, \"forced_expire\": %s, "
	      "\"sender\": ", m->info.arrival_time, m->info.message_size,
	      m->forced_expire ? "true" : "false");
    sb_json(o, m->sender.s);
    sb_puts(o, ", \"recipients\": [");
    for (size_t i = 0; i < m->addr.n; i++) {
	sb_puts(o, i ? ", {\"address\": " : "{\"address\": ");
	sb_json(o, m->addr.v[i]);
	if (*m->why.v[i]) {
	    sb_puts(o, ", \"delay_reason\": ");
	    sb_json(o, m->why.v[i]);
	}
	sb_addc(o, '}');
    }
    sb_puts(o, "]}\n");
}

#define S_FORMAT_STR	"%-11s %7s %-20s %s\n"
#define S_FORMAT_SND	"%-11s %7lld %20.20s %s\n"
#define L_FORMAT_STR	"%-17s %8s %-19s %s\n"
#define L_FORMAT_SND	"%-17s %8lld %19.19s %s\n"

/* print_heading - the instance's line, and postqueue -p's column names */

static void print_heading(struct qrun *run)
{
    struct qinst *qi = run->qi;

    sb_puts(&run->out, run->headings++ ? "\n# " : "# ");
    sb_puts(&run->out, inst_label(qi->inst));
    sb_addc(&run->out, ' ');
    sb_puts(&run->out, qi->inst->config_dir);
    sb_addc(&run->out, '\n');
    if (qi->long_ids)
	sb_printf(&run->out, L_FORMAT_STR, "----Queue ID-----", "--Size--",
		  "---Arrival Time----", "--Sender/Recipient------");
    else
	sb_printf(&run->out, S_FORMAT_STR, "-Queue ID-", "--Size--",
		  "----Arrival Time----", "-Sender/Recipient-------");
}

/* print_text - one message in postqueue -p's layout */

static void print_text(struct qrun *run)
{
    const struct qmsg *m = &run->msg;
    struct qinst *qi = run->qi;
    char    id[128], when[64];
    time_t  t = (time_t) m->info.arrival_time;
    struct tm tm;
    const char *saved = "";

    if (qi->listed == 0)
	print_heading(run);
    else
	sb_addc(&run->out, '\n');
    snprintf(id, sizeof(id), "%s%s%s", m->id, m->kind == QUEUE_ACTIVE ? "*" :
	     m->kind == QUEUE_HOLD ? "!" : "", m->forced_expire ? "#" : "");
    if (localtime_r(&t, &tm) == 0 || asctime_r(&tm, when) == 0)
	snprintf(when, sizeof(when), "%lld", m->info.arrival_time);
    sb_printf(&run->out, qi->long_ids ? L_FORMAT_SND : S_FORMAT_SND, id,
	      m->info.message_size, when, m->sender.s);
    for (size_t i = 0; i < m->addr.n; i++) {
	/* A reason line when it changes, as postqueue -p has it. */
	if (strcmp(saved, m->why.v[i]) != 0) {
	    const char *show = *m->why.v[i] ? m->why.v[i] : "reason unavailable";
	    int     pad = 76 - (int) strlen(show);

	    saved = m->why.v[i];
	    sb_printf(&run->out, "%*s(%s)\n", pad > 0 ? pad : 0, "", show);
	}
	sb_printf(&run->out, qi->long_ids ? L_FORMAT_STR : S_FORMAT_STR, "", "", "",
		  m->addr.v[i]);
    }
}

/* print_summary - the end of an instance's text listing */

static void print_summary(struct qrun *run)
{
    struct qinst *qi = run->qi;

    if (qi->listed == 0) {
	sb_printf(&run->out, "%s# %s %s\n%s\n", run->headings++ ? "\n" : "",
		  inst_label(qi->inst), qi->inst->config_dir,
		  run->filter.given ? "No message matches" : "Mail queue is empty");
    } else {
	sb_printf(&run->out, "\n-- %lld Kbytes in %ld Request%s.\n", qi->bytes / 1024,
		  qi->listed, qi->listed == 1 ? "" : "s");
    }
}

 /*
  * Acting.
  */

/* held_cmp - order by queue ID */

static int held_cmp(const void *a, const void *b)
{
    return (strcmp(((const struct held *) a)->id, ((const struct held *) b)->id));
}

/* held_find - a held message by queue ID */

static struct held *held_find(struct qinst *qi, const char *id, size_t len)
{
    size_t  lo = 0, hi = qi->nheld;

    while (lo < hi) {
	size_t  mid = (lo + hi) / 2;
	int     cmp = strncmp(qi->held[mid].id, id, len);

	if (cmp == 0 && qi->held[mid].id[len] != 0)
	    cmp = 1;
	if (cmp == 0)
	    return (qi->held + mid);
	if (cmp < 0)
	    lo = mid + 1;
	else
	    hi = mid;
    }
    return (0);
}

/* memfd - an anonymous file, for a command's input or error output */

static int memfd(const char *name)
{
    int     fd = memfd_create(name, MFD_CLOEXEC);

    if (fd < 0)
	msg_fatal("memfd_create: %s", strerror(errno));
    return (fd);
}

/* postsuper_output - sort postsuper's lines: one per queue ID, the rest passed on */

static void postsuper_output(struct qrun *run, int fd)
{
    struct qinst *qi = run->qi;
    const char *verb = qactions[run->action].verb;
    strbuf  text = STRBUF_INIT;
    char   *line, *next;

    if (lseek(fd, 0, SEEK_SET) < 0 || read_fd(fd, &text, QWORK_LOG_LIMIT) < 0)
	msg_fatal("read postsuper's output: %s", strerror(errno));
    for (line = text.s; line && *line; line = next) {
	char   *id, *colon;
	struct held *h;

	if ((next = strchr(line, '\n')) != 0)
	    *next++ = 0;
	/* "postsuper: ID: verb" for each message it acted on */
	if (strncmp(line, "postsuper: ", 11) == 0 && (colon = strstr(id = line + 11, ": ")) != 0
	    && strcmp(colon + 2, verb) == 0
	    && (h = held_find(qi, id, (size_t) (colon - id))) != 0 && !h->done) {
	    h->done = 1;
	    qi->acted++;
	    continue;
	}
	/* Its summary ("Deleted: 3 messages") is ours to give. */
	if (strncmp(line, "postsuper: ", 11) == 0 && (colon = strstr(line + 11, ": ")) != 0) {
	    const char *cp = colon + 2;

	    while (*cp >= '0' && *cp <= '9')
		cp++;
	    if (cp > colon + 2 && (strcmp(cp, " message") == 0 || strcmp(cp, " messages") == 0))
		continue;
	}
	fprintf(stderr, "%s\n", line);
    }
    sb_free(&text);
}

/* act - run the action on the held messages, then let them go */

static void act(struct qrun *run)
{
    struct qinst *qi = run->qi;
    const struct qaction_info *a = qactions + run->action;
    char   *prog;
    int     status;

    if (qi->nheld == 0)
	return;
    qsort(qi->held, qi->nheld, sizeof(*qi->held), held_cmp);
    /* A message read twice (it moved to a queue not yet read): once. */
    for (size_t i = 1, j = 1; i <= qi->nheld; i++) {
	if (i == qi->nheld) {
	    qi->listed -= (long) (qi->nheld - j);
	    qi->nheld = j;
	    break;
	}
	if (strcmp(qi->held[i].id, qi->held[j - 1].id) == 0) {
	    close(qi->held[i].fd);
	    free(qi->held[i].id);
	} else {
	    qi->held[j++] = qi->held[i];
	}
    }
    if (run->action == QA_FLUSH) {
	/* postqueue -i takes one queue ID. */
	prog = xasprintf("%s/postqueue", run->command_dir);
	for (size_t i = 0; i < qi->nheld; i++) {
	    char   *argv[] = {"postqueue", "-c", qi->inst->config_dir, "-i", qi->held[i].id, 0};

	    if (msg_verbose)
		msg_info("%s: run %s -c %s -i %s", qi->inst->config_dir, prog,
			 qi->inst->config_dir, qi->held[i].id);
	    if ((status = command_run(prog, argv, &run->env, 0)) == 0) {
		qi->held[i].done = 1;
		qi->acted++;
	    } else {
		msg_warn("%s: postqueue -i %s failed with status %d", qi->inst->config_dir,
			 qi->held[i].id, status);
		qi->failed = 1;
	    }
	}
    } else {
	int     in = memfd("postmulti-ids"), err = memfd("postmulti-err");
	char   *argv[] = {"postsuper", "-c", qi->inst->config_dir, (char *) a->option, "-", 0};
	strbuf  ids = STRBUF_INIT;

	prog = xasprintf("%s/postsuper", run->command_dir);
	for (size_t i = 0; i < qi->nheld; i++)
	    sb_printf(&ids, "%s\n", qi->held[i].id);
	if (write(in, ids.s, ids.len) != (ssize_t) ids.len || lseek(in, 0, SEEK_SET) < 0)
	    msg_fatal("write the queue IDs: %s", strerror(errno));
	sb_free(&ids);
	if (msg_verbose)
	    msg_info("%s: run %s -c %s %s - (%zu queue IDs)", qi->inst->config_dir, prog,
		     qi->inst->config_dir, a->option, qi->nheld);
	status = command_run_io(prog, argv, &run->env, in, err);
	postsuper_output(run, err);
	close(in);
	close(err);
	if (status != 0) {
	    msg_warn("%s: postsuper %s failed with status %d", qi->inst->config_dir,
		     a->option, status);
	    qi->failed = 1;
	}
    }
    free(prog);
    /* What was not acted on: gone meanwhile, or not where postsuper looks. */
    for (size_t i = 0; i < qi->nheld; i++) {
	struct held *h = qi->held + i;
	struct stat st;

	if (h->done)
	    sl_add(&qi->acted_ids, h->id);
	if (!h->done && run->action != QA_FLUSH) {
	    if (fstat(h->fd, &st) == 0 && st.st_nlink == 0) {
		qi->gone++;
		sl_add(&qi->gone_ids, h->id);
	    } else {
		qi->left++;
		sl_add(&qi->left_ids, h->id);
	    }
	}
	close(h->fd);
	free(h->id);
    }
    qi->nheld = 0;
}

/* hold_message - keep a selected message's file open for the action */

static void hold_message(struct qrun *run, int fd)
{
    struct qinst *qi = run->qi;

    if (qi->nheld == qi->capheld) {
	qi->capheld = qi->capheld ? 2 * qi->capheld : 64;
	qi->held = xrealloc(qi->held, qi->capheld * sizeof(*qi->held));
    }
    qi->held[qi->nheld].id = xstrdup(run->msg.id);
    qi->held[qi->nheld].fd = fd;
    qi->held[qi->nheld].done = 0;
    qi->nheld++;
    if (qi->nheld >= run->fd_budget)
	act(run);
}

/* visit - one queue file */

static void visit(int kind, int dir_fd, const char *name, int fd, const struct stat *wst,
		          void *ptr)
{
    struct qrun *run = ptr;
    struct qinst *qi = run->qi;
    struct qmsg *m = &run->msg;
    const struct qfilter *f = &run->filter;
    struct qfile_env env = {.sender = env_sender, .recipient = env_recipient, .ctx = run};
    struct strset dup = {0};
    struct stat st;
    const char *why = 0, *rel;
    int     dfd, have_st = 0;

    if (kind >= QUEUE_CORRUPT || (f->queues && !(f->queues & (1U << kind)))
	|| (f->ids.n && !name_in(name, (const char *const *) f->ids.v, f->ids.n))) {
	if (fd >= 0)
	    close(fd);
	return;
    }
    /* The walk opened the file (QUEUE_WALK_OPEN), or left it to us. */
    if (fd >= 0) {
	st = *wst;
	have_st = 1;
    } else if (!run->walk_open) {
	fd = openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
	    return;				/* left the queue meanwhile */
	have_st = fd >= 0 && fstat(fd, &st) == 0;
    }
    if (run->action == QA_SHAPE) {
	/* qshape's reading of the file, not showq's. */
	if (fd >= 0 && have_st)
	    (void) qshape_file(qi->shape, name, fd, &st);
	if (fd >= 0)
	    close(fd);
	return;
    }
    if (fd < 0) {
	qi->bad++;
	qi->bad_why = "cannot open";
	free(qi->bad_name);
	qi->bad_name = xasprintf("%s/%s", queue_names[kind], name);
	return;
    }
    msg_reset(m);
    m->kind = kind;
    m->id = name;
    if (!have_st) {
	why = "cannot fstat";
    } else if (qfile_envelope_fd(fd, &st, &m->info, &env, &why) < 0) {
	/* not a message that showq lists */
    } else {
	why = 0;
	m->forced_expire = (st.st_mode & S_IXGRP) != 0;
	/* The defer log's recipients first, then the file's others. */
	if (qi->defer_fd >= 0 && (rel = defer_path(&qi->defer_names, name)) != 0
	    && (dfd = openat(qi->defer_fd, rel,
			     O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) >= 0) {
	    defer_reasons(run, dfd, &dup);
	    close(dfd);
	}
	for (size_t i = 0; i < m->file_rcpt.n; i++) {
	    if (!set_has(&dup, m->file_rcpt.v[i])) {
		sl_add(&m->addr, m->file_rcpt.v[i]);
		sl_add(&m->why, "");
	    }
	}
	set_free(&dup);
    }
    if (why) {
	qi->bad++;
	qi->bad_why = why;
	free(qi->bad_name);
	qi->bad_name = xasprintf("%s/%s", queue_names[kind], name);
	close(fd);
	return;
    }
    if (!filter_pass(f, m, run->now)) {
	close(fd);
	return;
    }
    if (run->action == QA_LIST || run->dry_run) {
	if (run->it->json)
	    print_json(run);
	else
	    print_text(run);
	out_flush(run);
    }
    qi->listed++;
    qi->bytes += m->info.message_size;
    if (run->action == QA_LIST || run->dry_run)
	close(fd);
    else
	hold_message(run, fd);
}

/* defer_scan - the defer logs under an open directory (prefix: its path under defer/) */

static void defer_scan(int dir, struct strset *names, strbuf *prefix, int depth)
{
    DIR    *dp;
    struct dirent *de;
    int     fd;
    char    hash[64];
    size_t  plen = prefix->len;

    if ((fd = dup(dir)) < 0 || (dp = fdopendir(fd)) == 0) {
	if (fd >= 0)
	    close(fd);
	return;
    }
    rewinddir(dp);
    while ((de = readdir(dp)) != 0) {
	if (de->d_name[0] == '.')
	    continue;
	/* Hash directories have one-character names. */
	if ((de->d_type == DT_DIR || de->d_type == DT_UNKNOWN) && de->d_name[1] == 0) {
	    int     sub;

	    if (depth + 1 < QWORK_HASH_DEPTH
		&& (sub = openat(dir, de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW
				 | O_CLOEXEC)) >= 0) {
		sb_printf(prefix, "%s/", de->d_name);
		defer_scan(sub, names, prefix, depth + 1);
		prefix->s[prefix->len = plen] = 0;
		close(sub);
		continue;
	    }
	}
	if (!queue_id_ok(de->d_name))
	    continue;

	/*
	 * Where showq looks for an ID's defer log: defer/ID, then defer/H0/ID,
	 * defer/H0/H1/ID..., H the characters of qwork_hash_chars() ("_" past
	 * them), whatever hash_queue_depth is. A log elsewhere is not its log.
	 */
	qwork_hash_chars(de->d_name, hash, sizeof(hash));
	int     on_path = 1;

	for (int i = 0; i < depth && on_path; i++) {
	    char    want = (size_t) i < strlen(hash) ? hash[i] : '_';

	    on_path = prefix->s[2 * i] == want && prefix->s[2 * i + 1] == '/';
	}
	if (on_path) {
	    sb_puts(prefix, de->d_name);
	    defer_note(names, de->d_name, prefix->s);
	    prefix->s[prefix->len = plen] = 0;
	}
    }
    closedir(dp);
}

/* inst_setup - what an instance's main.cf says for showq and postqueue */

static int inst_setup(struct qinst *qi, const struct instance *inst)
{
    MAINCF *cf;
    char   *err = 0, *val;
    char    path[4096];
    strbuf  prefix = STRBUF_INIT;

    memset(qi, 0, sizeof(*qi));
    qi->inst = inst;
    qi->defer_fd = -1;
    if ((cf = maincf_load(inst->config_dir, &err)) == 0) {
	msg_warn("%s: %s", inst->config_dir, err);
	free(err);
	return (-1);
    }
    if (maincf_bool(cf, "smtputf8_enable", &qi->utf8, &err) < 0
	|| maincf_bool(cf, "enable_long_queue_ids", &qi->long_ids, &err) < 0
	|| (qi->empty_addr = maincf_eval(cf, "empty_address_recipient", &err)) == 0
	|| (val = maincf_eval(cf, "duplicate_filter_limit", &err)) == 0) {
	msg_warn("%s: %s", inst->config_dir, err);
	free(err);
	maincf_free(cf);
	return (-1);
    }
    qi->dup_limit = atol(val);
    free(val);
    maincf_free(cf);
    snprintf(path, sizeof(path), "%s/defer", inst->queue_dir);
    /* Which messages have a defer log, and where: one look, not a search per message. */
    if ((qi->defer_fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
	defer_scan(qi->defer_fd, &qi->defer_names, &prefix, 0);
	sb_free(&prefix);
    }
    return (0);
}

/* print_shape - one instance's qshape table, or (inst null) the sum */

static void print_shape(struct qrun *run, const QSHAPE *shape, const struct instance *inst)
{
    strbuf *o = &run->out;

    if (run->it->json) {
	if (inst) {
	    sb_puts(o, "{\"instance\": ");
	    sb_json(o, inst_label(inst));
	    sb_puts(o, ", \"config_directory\": ");
	    sb_json(o, inst->config_dir);
	} else {
	    sb_puts(o, "{\"instance\": null, \"config_directory\": null");
	}
	sb_puts(o, ", \"shape\": ");
	qshape_json(shape, o);
	sb_puts(o, "}\n");
    } else {
	if (inst)
	    sb_printf(o, "%s# %s %s\n", run->headings++ ? "\n" : "", inst_label(inst),
		      inst->config_dir);
	else
	    sb_puts(o, "\n# total\n");
	qshape_text(shape, o);
    }
}

/* inst_report - what the action did in one instance */

static void inst_report(struct qrun *run)
{
    struct qinst *qi = run->qi;
    const struct qaction_info *a = qactions + run->action;
    strbuf *o = &run->out;

    if (run->it->json) {
	sb_puts(o, "{\"instance\": ");
	sb_json(o, inst_label(qi->inst));
	sb_puts(o, ", \"config_directory\": ");
	sb_json(o, qi->inst->config_dir);
	sb_printf(o, ", \"action\": \"%s\", \"selected\": %ld, \"acted_on\": [",
		  a->name, qi->listed);
	for (size_t i = 0; i < qi->acted_ids.n; i++) {
	    sb_puts(o, i ? ", " : "");
	    sb_json(o, qi->acted_ids.v[i]);
	}
	sb_puts(o, "], \"gone\": [");
	for (size_t i = 0; i < qi->gone_ids.n; i++) {
	    sb_puts(o, i ? ", " : "");
	    sb_json(o, qi->gone_ids.v[i]);
	}
	sb_puts(o, "], \"left_alone\": [");
	for (size_t i = 0; i < qi->left_ids.n; i++) {
	    sb_puts(o, i ? ", " : "");
	    sb_json(o, qi->left_ids.v[i]);
	}
	sb_puts(o, "]}\n");
    } else {
	sb_printf(o, "%s %s: %s %ld of %ld selected message%s\n", inst_label(qi->inst),
		  qi->inst->config_dir, a->done, qi->acted, qi->listed,
		  qi->listed == 1 ? "" : "s");
	if (qi->gone_ids.n) {
	    char   *list = sl_join(&qi->gone_ids, " ");

	    sb_printf(o, "%s %s: gone before postsuper %s: %s\n", inst_label(qi->inst),
		      qi->inst->config_dir, a->option, list);
	    free(list);
	}
	if (qi->left_ids.n) {
	    char   *list = sl_join(&qi->left_ids, " ");

	    sb_printf(o, "%s %s: left alone by postsuper %s (not in a queue it works on): %s\n",
		      inst_label(qi->inst), qi->inst->config_dir, a->option, list);
	    free(list);
	}
    }
    out_flush(run);
}

/* qwork_run - -Q ACTION [filter...] */

int     qwork_run(struct insttab *tab, const struct iteration *it, const char *action,
		          char **args, int dry_run)
{
    struct qrun run = {.it = it, .dry_run = dry_run, .msg = {.sender = STRBUF_INIT}};
    struct walk w;
    struct instance *inst;
    struct rlimit rl;
    int     failed = 0;
    size_t  n = 0;

    for (run.action = QA_LIST; (size_t) run.action < QACTIONS; run.action++)
	if (strcmp(qactions[run.action].name, action) == 0)
	    break;
    filter_parse(&run.filter, args);
    if (run.action == QA_SHAPE) {
	if (run.filter.given & ~(1U << FK_QUEUE))
	    msg_fatal("-Q shape takes only the filter queue= (the queues that qshape reads)");
	/* qshape's default: the incoming and active queues. */
	if (run.filter.queues == 0)
	    run.filter.queues = 1U << QUEUE_INCOMING | 1U << QUEUE_ACTIVE;
    }
    if (dry_run && run.action <= QA_SHAPE)
	msg_fatal("-n is for the -Q actions that change the queue; -Q %s changes nothing", action);
    if (run.action > QA_SHAPE && !dry_run && geteuid() != 0)
	msg_fatal("-Q %s runs %s, which only the superuser may run; -n shows what it"
		  " would act on", action, run.action == QA_FLUSH ? "postqueue -i" : "postsuper");
    /* Every selected file stays open until its action: as many as allowed. */
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
	rl.rlim_cur = rl.rlim_max;
	(void) setrlimit(RLIMIT_NOFILE, &rl);
    }
    run.fd_budget = getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY
	&& rl.rlim_cur > 256 ? (size_t) rl.rlim_cur - 128 : 128;
    if (run.fd_budget > 1000000)
	run.fd_budget = 1000000;
    /* Without id= or queue=, every file is read: the walk opens them, one stat fewer. */
    run.walk_open = run.filter.ids.n == 0 && run.filter.queues == 0;
    run.command_dir = tab->conf.command_dir;
    env_inherit(&run.env);
    run.now = time(0);
    if (run.action == QA_SHAPE)
	run.shape_total = qshape_create((long long) run.now);

    walk_init(&w, tab, it);
    while ((inst = walk_next(&w, it->reverse)) != 0) {
	struct qinst qi;
	struct queue_counts qc;

	n++;
	run.qi = &qi;
	if (inst_setup(&qi, inst) < 0) {
	    failed = 1;
	    free(qi.empty_addr);
	    continue;
	}
	if (run.action == QA_SHAPE)
	    qi.shape = qshape_create((long long) run.now);
	if (queue_walk(inst->queue_dir, &qc, run.walk_open ? QUEUE_WALK_OPEN : 0, visit, &run) < 0) {
	    msg_warn("%s: %s", inst->config_dir, qc.why);
	    failed = 1;
	}
	queue_counts_free(&qc);
	if (qi.bad) {
	    failed = 1;
	    msg_warn("%s: %ld queue file%s not read, the last %s: %s", inst->config_dir,
		     qi.bad, qi.bad > 1 ? "s" : "", qi.bad_name, qi.bad_why);
	}
	if (run.action == QA_SHAPE) {
	    print_shape(&run, qi.shape, inst);
	    (void) qshape_add(run.shape_total, qi.shape);
	    qshape_free(qi.shape);
	} else if ((run.action == QA_LIST || dry_run) && !it->json)
	    print_summary(&run);
	out_flush(&run);
	if (run.action > QA_SHAPE && !dry_run) {
	    act(&run);
	    inst_report(&run);
	}
	if (qi.failed)
	    failed = 1;
	if (qi.defer_fd >= 0)
	    close(qi.defer_fd);
	set_free(&qi.defer_names);
	free(qi.empty_addr);
	free(qi.bad_name);
	free(qi.held);
	sl_free(&qi.acted_ids);
	sl_free(&qi.gone_ids);
	sl_free(&qi.left_ids);
    }
    if (n == 0 && w.damaged == 0)
	walk_no_match(&w, 0, 0);
    if (run.action == QA_SHAPE) {
	/* With more than one instance, their sum. */
	if (n > 1)
	    print_shape(&run, run.shape_total, 0);
	out_flush(&run);
	qshape_free(run.shape_total);
    }
    if (w.failed)
	failed = 1;
    msg_reset(&run.msg);
    sb_free(&run.msg.sender);
    sb_free(&run.out);
    sl_free(&run.env);
    sl_free(&run.filter.ids);
    if (fflush(stdout) != 0 || ferror(stdout))
	msg_fatal("write standard output: %s", strerror(errno));
    return (failed);
}
