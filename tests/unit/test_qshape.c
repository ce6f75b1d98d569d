/*
 * test_qshape - the qshape table of qshape.c
 *
 * The expected tables are literal text that Postfix's own qshape
 * (/usr/sbin/qshape, Postfix 3.7) printed for queue files holding the
 * same messages at the same ages (written with C, T, S, R, M, N, X and
 * E records, mode 0700, qshape given the directory's absolute path), and
 * the expected keys and buckets are what qshape's own statements give.
 * Then what qshape leaves open: the order of rows that tie (random in
 * qshape, fixed here), the sum of two tables, options out of range, and
 * the JSON form.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "qshape.h"
#include "util.h"
#include "tap.h"

#define NOW	1700000000LL

static const char want_empty[] =
    "                                         T  5 10 20 40 80 160 320 640 1280 1280+\n"
    "                                  TOTAL  0  0  0  0  0  0   0   0   0    0     0\n"
    ;
static const char want_basic[] =
    "                                         T  5 10 20 40 80 160 320 640 1280 1280+\n"
    "                                  TOTAL  6  3  1  0  0  1   0   0   0    0     1\n"
    "                            example.com  3  2  0  0  0  1   0   0   0    0     0\n"
    "                              other.org  1  0  1  0  0  0   0   0   0    0     0\n"
    "                          MAILER-DAEMON  1  1  0  0  0  0   0   0   0    0     0\n"
    "                   deep.sub.example.com  1  0  0  0  0  0   0   0   0    0     1\n"
    ;
static const char want_short[] =
    "                                         T  5 10 20 40 80 160 320 640 1280 1280+\n"
    "                                   x.io  2  2  0  0  0  0   0   0   0    0     0\n"
    "                                  TOTAL  2  2  0  0  0  0   0   0   0    0     0\n"
    ;
static const char want_long[] =
    "                                         T  5 10 20 40 80 160 320 640 1280 1280+\n"
    "                                TOTAL 1002  1  0  0  0  0   1   0   0    0  1000\n"
    "                         many.example 1000  0  0  0  0  0   0   0   0    0  1000\n"
    "mail.bbbbbbbbbbbbbbbbbbbb.example.org    1  0  0  0  0  0   1   0   0    0     0\n"
    "+aaaaaaaaaaaaaaaaaaaaaaaaaaaa.example    1  1  0  0  0  0   0   0   0    0     0\n"
    ;
static const char want_parents[] =
    "                                         T  5 10 20 40 80 160 320 640 1280 1280+\n"
    "                                  TOTAL  6  4  0  0  0  2   0   0   0    0     0\n"
    "                           .example.com  4  4  0  0  0  0   0   0   0    0     0\n"
    "                                  x.org  1  0  0  0  0  1   0   0   0    0     0\n"
    "                            example.com  1  0  0  0  0  1   0   0   0    0     0\n"
    "                          a.example.com  1  1  0  0  0  0   0   0   0    0     0\n"
    "                        two.example.com  1  1  0  0  0  0   0   0   0    0     0\n"
    "                      three.example.com  1  1  0  0  0  0   0   0   0    0     0\n"
    "                     mx.two.example.com  1  1  0  0  0  0   0   0   0    0     0\n"
    ;
static const char want_senders[] =
    "                                                                                          T  1  2 2+\n"
    "                                                                                   TOTAL  3  1  0  2\n"
    "                                                                            list.example  2  1  0  1\n"
    "                                                                           MAILER-DAEMON  1  0  0  1\n"
    ;

 /*
  * One message: age in seconds, sender, recipients (NULL-terminated).
  */
struct msg {
    long long age;
    const char *sender;
    const char *rcpt[5];
};

static void feed(QSHAPE *q, const struct msg *m, size_t n)
{
    size_t  i, k;

    for (i = 0; i < n; i++) {
	for (k = 0; m[i].rcpt[k]; k++)
	     /* void */ ;
	qshape_message(q, NOW - m[i].age, m[i].sender, m[i].rcpt, k);
    }
}

static char *text_of(const struct msg *m, size_t n, const struct qshape_opts *o)
{
    QSHAPE *q = qshape_create_opts(NOW, o);
    strbuf  sb = STRBUF_INIT;

    feed(q, m, n);
    qshape_text(q, &sb);
    qshape_free(q);
    return (sb_take(&sb));
}

static void check_text(const char *what, const struct msg *m, size_t n,
		               const struct qshape_opts *o, const char *want)
{
    char   *got = text_of(m, n, o);

    TAP_STREQ(got, want, "%s: qshape's table", what);
    free(got);
}

#define NMSG(a)	(sizeof(a) / sizeof((a)[0]))

static const struct msg basic[] = {
    {10, "a@x.com", {"b@Example.COM", "c@example.com", "", 0}},
    {400, "", {"d@other.org", 0}},
    {3000, "s@x", {"e@example.com", 0}},
    {1000000, "s@x", {"f@deep.sub.example.com", 0}},
};
static const struct msg shortd[] = {
    {60, "s@y", {"u@x.io", "v@X.IO", 0}},
};
static const struct msg parents[] = {
    {30, "s@y", {"a@a.example.com", "b@two.example.com", "c@three.example.com", "d@mx.two.example.com", 0}},
    {4000, "s@y", {"e@example.com", "f@x.org", 0}},
};
static const struct msg senders[] = {
    {30, "Owner@List.Example", {"a@x", "b@y", 0}},
    {700, "", {"c@z", 0}},
    {700, "n@list.example", {"c@z", 0}},
};

static void test_tables(void)
{
    struct qshape_opts o;
    struct msg *many;
    size_t  i;

    qshape_opts_default(&o);
    check_text("no message", 0, 0, &o, want_empty);
    check_text("defaults", basic, NMSG(basic), &o, want_basic);
    check_text("a domain shorter than TOTAL with its count", shortd, NMSG(shortd), &o, want_short);

    /*
     * 1000 messages widen the T and last columns; a long domain shows
     * its end after "+".
     */
    many = xcalloc(1002, sizeof(*many));
    many[0] = (struct msg) {30, "s@y", {"u@aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.example", 0}};
    many[1] = (struct msg) {7200, "s@y", {"w@mail.bbbbbbbbbbbbbbbbbbbb.example.org", 0}};
    for (i = 2; i < 1002; i++)
	many[i] = (struct msg) {90000, "s@y", {"x@many.example", 0}};
    check_text("wide counts, a long domain", many, 1002, &o, want_long);
    free(many);

    o.parents = 1;
    o.min_sub = 2;
    check_text("-p -m 2", parents, NMSG(parents), &o, want_parents);

    qshape_opts_default(&o);
    o.senders = 1;
    o.linear = 1;
    o.buckets = 3;
    o.minutes = 1;
    o.width = 100;
    check_text("-s -l -b 3 -t 1 -w 100", senders, NMSG(senders), &o, want_senders);
}

 /*
  * Keys: what qshape's own statements make of each address.
  */
static void test_domains(void)
{
    static const char *const cases[][2] = {
	{"User@Example.COM.", "example.com"},
	{"", "MAILER-DAEMON"},
	{"a@b@c.d", "c.d"},
	{"x@..a..b..", "a.b"},
	{"x@...a", ".a"},
	{".", "."},
	{"..", "."},
	{"x@", ""},
	{"noat", "noat"},
	{"MAILER-DAEMON", "mailer-daemon"},
	{"x@a.\n", "a\n"},
	{"a@b\nc@d.e", "b\nc@d.e"},
	{"x\ny.\nz.", "x\ny.\nz"},
	{"x@\xc9" ".Example", "\xc9" ".example"},
    };
    size_t  i;
    char   *got;

    for (i = 0; i < NMSG(cases); i++) {
	got = qshape_domain(cases[i][0]);
	TAP_STREQ(got, cases[i][1], "key of address %zu", i);
	free(got);
    }
}

 /*
  * Buckets at their limits (qshape: 2 + int(log(m)/log(2)), or int(m+1)
  * with -l, m the age in units of 5 minutes), read from the JSON ages.
  */
static int bucket_of(long long age, int linear)
{
    struct qshape_opts o;
    QSHAPE *q;
    strbuf  sb = STRBUF_INIT;
    const char *rcpt[] = {"a@b"};
    const char *p;
    int     b = 0;

    qshape_opts_default(&o);
    o.linear = linear;
    q = qshape_create_opts(NOW, &o);
    qshape_message(q, NOW - age, "s@t", rcpt, 1);
    qshape_json(q, &sb);
    if ((p = strstr(sb.s, "\"total\":{\"count\":1,\"ages\":[")) != 0) {
	p = strchr(p, '[') + 1;
	for (b = 1; *p == '0'; b++)
	    p += 2;
	if (*p != '1')
	    b = 0;
    }
    sb_free(&sb);
    qshape_free(q);
    return (b);
}

static void test_buckets(void)
{
    static const struct {
	long long age;
	int     geo, lin;
    }       cases[] = {
	{-5, 1, 1}, {0, 1, 1}, {299, 1, 1}, {300, 2, 2}, {599, 2, 2},
	{600, 3, 3}, {1199, 3, 4}, {1200, 4, 5}, {2400, 5, 9},
	{76799, 9, 10}, {76800, 10, 10}, {1000000000, 10, 10},
    };
    size_t  i;

    for (i = 0; i < NMSG(cases); i++) {
	TAP_OK(bucket_of(cases[i].age, 0) == cases[i].geo,
	       "age %lld: bucket %d", cases[i].age, cases[i].geo);
	TAP_OK(bucket_of(cases[i].age, 1) == cases[i].lin,
	       "age %lld, -l: bucket %d", cases[i].age, cases[i].lin);
    }
    {
	QSHAPE *q = qshape_create(9223372036854775807LL);
	const char *rcpt[] = {"a@b"};
	strbuf  sb = STRBUF_INIT;

	qshape_message(q, -9223372036854775807LL - 1, "s@t", rcpt, 1);
	qshape_json(q, &sb);
	TAP_OK(strstr(sb.s, "\"ages\":[0,0,0,0,0,0,0,0,0,1]") != 0,
	       "an age beyond long long: the last bucket");
	sb_free(&sb);
	qshape_free(q);
    }
}

 /*
  * What qshape leaves open or does not have.
  */
static void test_rest(void)
{
    static const struct msg ties[] = {
	{10, "s@t", {"b@ab.cd", "c@xy.ab", 0}},
	{10, "s@t", {"d@bb.ab", 0}},
	{10, "", {"", 0}},
    };
    static const char want_ties[] =
	"                                         T  5 10 20 40 80 160 320 640 1280 1280+\n"
	"                                  TOTAL  4  4  0  0  0  0   0   0   0    0     0\n"
	"                                  ab.cd  1  1  0  0  0  0   0   0   0    0     0\n"
	"                                  bb.ab  1  1  0  0  0  0   0   0   0    0     0\n"
	"                                  xy.ab  1  1  0  0  0  0   0   0   0    0     0\n"
	"                          MAILER-DAEMON  1  1  0  0  0  0   0   0   0    0     0\n";
    static const char want_json[] =
	"{\"buckets\":[5,10,20,40,80,160,320,640,1280,null],"
	"\"total\":{\"count\":6,\"ages\":[3,1,0,0,1,0,0,0,0,1]},"
	"\"domains\":["
	"{\"domain\":\"example.com\",\"count\":3,\"ages\":[2,0,0,0,1,0,0,0,0,0]},"
	"{\"domain\":\"other.org\",\"count\":1,\"ages\":[0,1,0,0,0,0,0,0,0,0]},"
	"{\"domain\":\"MAILER-DAEMON\",\"count\":1,\"ages\":[1,0,0,0,0,0,0,0,0,0]},"
	"{\"domain\":\"deep.sub.example.com\",\"count\":1,\"ages\":[0,0,0,0,0,0,0,0,0,1]}]}";
    struct qshape_opts o, p;
    QSHAPE *a, *b, *all;
    strbuf  sa = STRBUF_INIT, sall = STRBUF_INIT;
    const char *rcpt[] = {"x@y.z"};

    qshape_opts_default(&o);
    check_text("ties: TOTAL first, then byte order", ties, NMSG(ties), &o, want_ties);

    /*
     * The sum of two instances is the table of all their messages.
     */
    a = qshape_create(NOW);
    b = qshape_create(NOW);
    all = qshape_create(NOW);
    feed(a, basic, 2);
    feed(b, basic + 2, 2);
    feed(b, senders, NMSG(senders));
    feed(all, basic, NMSG(basic));
    feed(all, senders, NMSG(senders));
    TAP_OK(qshape_add(a, b) == 0, "qshape_add: same options");
    qshape_text(a, &sa);
    qshape_text(all, &sall);
    TAP_STREQ(sa.s, sall.s, "the sum of two tables is the table of all messages");
    sb_reset(&sa);
    qshape_json(all, &sa);
    sb_reset(&sall);
    qshape_free(all);
    all = qshape_create(NOW);
    feed(all, basic, NMSG(basic));
    qshape_json(all, &sall);
    TAP_STREQ(sall.s, want_json, "JSON: limits, TOTAL, rows in the table's order");
    qshape_free(all);
    sb_free(&sa);
    sb_free(&sall);

    p = o;
    p.senders = 1;
    all = qshape_create_opts(NOW, &p);
    TAP_OK(qshape_add(all, a) == -1, "qshape_add: other options refused");
    qshape_free(all);
    qshape_free(a);
    qshape_free(b);

    /*
     * Messages that qshape skips: no sender, no recipient.
     */
    a = qshape_create(NOW);
    qshape_message(a, NOW, 0, rcpt, 1);
    qshape_message(a, NOW, "s@t", rcpt, 0);
    qshape_text(a, &sa);
    TAP_STREQ(sa.s, want_empty, "no sender or no recipient: not counted");
    sb_free(&sa);
    qshape_free(a);

    p = o;
    p.buckets = 0;
    TAP_OK(qshape_create_opts(NOW, &p) == 0, "-b 0 refused");
    p = o;
    p.buckets = QSHAPE_MAX_BUCKETS + 1;
    TAP_OK(qshape_create_opts(NOW, &p) == 0, "too many buckets refused");
    p = o;
    p.minutes = 0;
    TAP_OK(qshape_create_opts(NOW, &p) == 0, "-t 0 refused");
    p = o;
    p.width = 40;
    {
	char   *got = text_of(basic, NMSG(basic), &p);

	TAP_STREQ(got, want_basic, "-w below 80 is 80, as in qshape");
	free(got);
    }
}

 /*
  * Queue files read as qshape reads them (qshape_file()). The expected
  * tables have the lines that qshape printed for the same files, in
  * this module's order where rows tie.
  */
static void put(strbuf *sb, int type, const char *data)
{
    size_t  n = strlen(data);

    sb_addc(sb, type);
    do {
	sb_addc(sb, (int) ((n & 0177) | (n > 0177 ? 0200 : 0)));
	n >>= 7;
    } while (n > 0);
    sb_puts(sb, data);
}

static void content(strbuf *sb)
{
    put(sb, 'N', "Subject: x");
    put(sb, 'N', "");
    put(sb, 'L', "body");
}

static void size_rec(strbuf *sb)
{
    strbuf  c = STRBUF_INIT;
    char   *s;

    content(&c);
    s = xasprintf("%15zu %15d %15d", c.len, 0, 1);
    put(sb, 'C', s);
    free(s);
    sb_free(&c);
}

static void time_rec(strbuf *sb, const char *fmt, long long age)
{
    char   *s = xasprintf(fmt, NOW - age);

    put(sb, 'T', s);
    free(s);
}

/* plain - C, T, S, R..., M, content, X, E */
static void plain(strbuf *sb, long long age, const char *sender, const char *rcpt)
{
    size_rec(sb);
    time_rec(sb, "%lld 0", age);
    if (sender)
	put(sb, 'S', sender);
    put(sb, 'R', rcpt);
    put(sb, 'M', "");
    content(sb);
    put(sb, 'X', "");
    put(sb, 'E', "");
}

static int file_of(QSHAPE *q, const char *dir, const char *name, const strbuf *sb,
		           int mode, long long mtime)
{
    char   *path = xasprintf("%s/%s", dir, name);
    int     fd, counted;
    struct stat st;
    struct timespec ts[2];

    fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || write(fd, sb->s ? sb->s : "", sb->len) != (ssize_t) sb->len
	|| fchmod(fd, (mode_t) mode) < 0) {
	printf("# %s: cannot write\n", path);
	exit(1);
    }
    if (mtime) {
	ts[0].tv_sec = ts[1].tv_sec = (time_t) mtime;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	futimens(fd, ts);
    }
    fstat(fd, &st);
    counted = qshape_file(q, name, fd, &st);
    close(fd);
    unlink(path);
    free(path);
    return (counted);
}

static void test_files(void)
{
    static const char want_rcpt[] =
	"                                         T  5 10 20 40 80 160 320 640 1280 1280+\n"
	"                                  TOTAL  7  3  0  0  1  0   1   0   0    0     2\n"
	"                                 ws.net  1  0  0  0  0  0   0   0   0    0     1\n"
	"                                old.net  1  0  0  0  0  0   0   0   0    0     1\n"
	"                                ptr.net  1  0  0  0  1  0   0   0   0    0     0\n"
	"                               frac.net  1  0  0  0  0  0   1   0   0    0     0\n"
	"                               late.org  1  1  0  0  0  0   0   0   0    0     0\n"
	"                            example.com  1  1  0  0  0  0   0   0   0    0     0\n"
	"                          MAILER-DAEMON  1  1  0  0  0  0   0   0   0    0     0\n";
    static const char want_send[] =
	"                                         T  5 10 20 40 80 160 320 640 1280 1280+\n"
	"                                  TOTAL  7  1  0  0  1  0   1   0   0    0     4\n"
	"                          MAILER-DAEMON  3  0  0  0  0  0   0   0   0    0     3\n"
	"                                  s.com  1  0  0  0  0  0   0   0   0    0     1\n"
	"                                  x.com  1  1  0  0  0  0   0   0   0    0     0\n"
	"                                ptr.com  1  0  0  0  1  0   0   0   0    0     0\n"
	"                               frac.com  1  0  0  0  0  0   1   0   0    0     0\n";
    static const int want_counted[] = {1, 1, 1, 0, 0, 1, 0, 1, 0, 1, 0, 1};
    char    dir[] = "/tmp/test_qshape.XXXXXX";
    int     bysender, i, counted[12];
    struct qshape_opts o;
    strbuf  sb = STRBUF_INIT, out = STRBUF_INIT;
    QSHAPE *q;
    size_t  target;

    if (mkdtemp(dir) == 0) {
	printf("# mkdtemp failed\n");
	exit(1);
    }
    for (bysender = 0; bysender < 2; bysender++) {
	qshape_opts_default(&o);
	o.senders = bysender;
	q = qshape_create_opts(NOW, &o);
	i = 0;

	/* Recipients before and after the content; an empty one. */
	sb_reset(&sb);
	size_rec(&sb);
	time_rec(&sb, "%lld 0", 10);
	put(&sb, 'S', "a@x.com");
	put(&sb, 'R', "b@Example.COM");
	put(&sb, 'R', "");
	put(&sb, 'M', "");
	content(&sb);
	put(&sb, 'X', "");
	put(&sb, 'R', "c@late.org");
	put(&sb, 'E', "");
	counted[i++] = file_of(q, dir, "AAAAAA1", &sb, 0700, 0);

	/* A maildrop file of today's Postfix: a time record first. */
	sb_reset(&sb);
	time_rec(&sb, "%lld 0", 400);
	put(&sb, 'F', "root");
	put(&sb, 'S', "s@m.com");
	put(&sb, 'R', "d@md.net");
	put(&sb, 'M', "");
	content(&sb);
	put(&sb, 'X', "");
	put(&sb, 'E', "");
	counted[i++] = file_of(q, dir, "AAAAAA2", &sb, 0700, 0);

	/* Sender first (no size record): the age from the mtime. */
	sb_reset(&sb);
	put(&sb, 'S', "");
	put(&sb, 'R', "e@old.net");
	put(&sb, 'M', "");
	content(&sb);
	put(&sb, 'X', "");
	put(&sb, 'E', "");
	counted[i++] = file_of(q, dir, "AAAAAA3", &sb, 0700, NOW - 90000);

	/* Mode 0600 (cleanup still writes it), a name of five characters. */
	sb_reset(&sb);
	plain(&sb, 10, "a@x.com", "f@skip.net");
	counted[i++] = file_of(q, dir, "AAAAAA4", &sb, 0600, 0);
	counted[i++] = file_of(q, dir, "AAAA5", &sb, 0700, 0);

	/* A time record that begins with white space: time 0. */
	sb_reset(&sb);
	size_rec(&sb);
	time_rec(&sb, " %lld 0", 10);
	put(&sb, 'S', "w@s.com");
	put(&sb, 'R', "g@ws.net");
	put(&sb, 'M', "");
	content(&sb);
	put(&sb, 'X', "");
	put(&sb, 'E', "");
	counted[i++] = file_of(q, dir, "AAAAAA6", &sb, 0700, 0);

	/* No sender. */
	sb_reset(&sb);
	plain(&sb, 5000, 0, "h@nos.net");
	counted[i++] = file_of(q, dir, "AAAAAA7", &sb, 0700, 0);

	/* A fraction of a second in the time record. */
	sb_reset(&sb);
	size_rec(&sb);
	time_rec(&sb, "%lld.5 0", 5000);
	put(&sb, 'S', "f@frac.com");
	put(&sb, 'R', "i@frac.net");
	put(&sb, 'M', "");
	content(&sb);
	put(&sb, 'X', "");
	put(&sb, 'E', "");
	counted[i++] = file_of(q, dir, "AAAAAA8", &sb, 0700, 0);

	/* No end record. */
	sb_reset(&sb);
	plain(&sb, 10, "a@x.com", "j@noe.net");
	sb.s[--sb.len] = 0;
	sb.s[--sb.len] = 0;
	counted[i++] = file_of(q, dir, "AAAAAA9", &sb, 0700, 0);

	/* A pointer record over a recipient. */
	sb_reset(&sb);
	size_rec(&sb);
	time_rec(&sb, "%lld 0", 2000);
	put(&sb, 'S', "p@ptr.com");
	target = sb.len + 17 + 12;
	{
	    char   *s = xasprintf("%15zu", target);

	    put(&sb, 'p', s);
	    free(s);
	}
	put(&sb, 'R', "z@junk.net");
	put(&sb, 'R', "k@ptr.net");
	put(&sb, 'M', "");
	content(&sb);
	put(&sb, 'X', "");
	put(&sb, 'E', "");
	counted[i++] = file_of(q, dir, "AAAAAB0", &sb, 0700, 0);

	/* No X record after the content. */
	sb_reset(&sb);
	size_rec(&sb);
	time_rec(&sb, "%lld 0", 10);
	put(&sb, 'S', "a@x.com");
	put(&sb, 'R', "l@nox.net");
	put(&sb, 'M', "");
	content(&sb);
	put(&sb, 'E', "");
	counted[i++] = file_of(q, dir, "AAAAAB1", &sb, 0700, 0);

	/* An empty file: taken as a message, like the maildrop file. */
	sb_reset(&sb);
	counted[i++] = file_of(q, dir, "AAAAAB2", &sb, 0700, 0);

	for (i = 0; i < 12; i++)
	    TAP_OK(counted[i] == want_counted[i], "%s: file %d %s", bysender ? "-s" : "recipients",
		   i + 1, want_counted[i] ? "taken" : "skipped");
	sb_reset(&out);
	qshape_text(q, &out);
	TAP_STREQ(out.s, bysender ? want_send : want_rcpt,
		  "queue files read as qshape reads them%s", bysender ? ", -s" : "");
	qshape_free(q);
    }
    rmdir(dir);
    sb_free(&sb);
    sb_free(&out);
}

int     main(void)
{
    test_files();
    test_tables();
    test_domains();
    test_buckets();
    test_rest();
    return (tap_done());
}
