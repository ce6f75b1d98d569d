/*
 * test_queue - queue IDs and the queue counts of queue.c
 *
 * Builds a queue directory under a temporary directory with files of
 * every shape that can be found there (queue files with short and long
 * IDs, hashed subdirectories, temporary files, files still being written,
 * logs, links, FIFOs) and
 * checks what queue_count() counts; then the failures: a missing queue
 * directory, an unreadable queue (when not root), a subqueue that is not
 * there yet.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "queue.h"
#include "util.h"
#include "tap.h"

static char top[] = "/tmp/test_queue.XXXXXX";
static int unknown_types;		/* getdents64() says DT_UNKNOWN */

/*
 * getdents64 - the system call, here in place of libc's, with every
 * d_type DT_UNKNOWN when unknown_types is set: a file system that does
 * not fill it in.
 */
ssize_t getdents64(int fd, void *buf, size_t len)
{
    long    got = syscall(SYS_getdents64, fd, buf, len);

    for (long off = 0; unknown_types && got > 0 && off < got;) {
	struct dirent64 *d = (struct dirent64 *) ((char *) buf + off);

	d->d_type = DT_UNKNOWN;
	off += d->d_reclen;
    }
    return ((ssize_t) got);
}

/* sh - run a shell command under top */

static void sh(const char *cmd)
{
    char   *full = xasprintf("cd '%s' && %s", top, cmd);

    if (system(full) != 0)
	abort();
    free(full);
}

/* counts - the counts as "m/i/a/d/h/c", or "unknown: why" */

static char *counts(const char *dir)
{
    struct queue_counts qc;
    char   *path = xasprintf("%s/%s", top, dir), *s;

    if (queue_count(path, &qc) < 0) {
	char   *at = strstr(qc.why, top);

	/* The temporary directory's name out of the message. */
	s = at ? xasprintf("unknown: %.*s%s", (int) (at - qc.why), qc.why, at + strlen(top))
	    : xasprintf("unknown: %s", qc.why);
    } else {
	s = xasprintf("%ld/%ld/%ld/%ld/%ld/%ld", qc.n[0], qc.n[1], qc.n[2],
		      qc.n[3], qc.n[4], qc.n[5]);
    }
    queue_counts_free(&qc);
    free(path);
    return (s);
}

/* What a walk visited: "kind/name" lines in order, and what the fds were. */

struct visited {
    strbuf  names;
    int     fds;			/* files handed over open */
    int     fd_ok;			/* ... that were what st says */
    int     fd_corrupt;			/* ... in the corrupt queue (never) */
};

static void note_visit(int kind, int dir_fd, const char *name, int fd,
		               const struct stat *st, void *ptr)
{
    struct visited *v = ptr;
    struct stat fst;

    (void) dir_fd;
    sb_printf(&v->names, "%d/%s\n", kind, name);
    if (fd >= 0) {
	v->fds++;
	if (st && fstat(fd, &fst) == 0 && fst.st_ino == st->st_ino && fst.st_dev == st->st_dev)
	    v->fd_ok++;
	if (kind == QUEUE_CORRUPT)
	    v->fd_corrupt++;
	close(fd);
    }
}

static void walk_both(const char *dir)
{
    struct queue_counts qa, qb;
    struct visited a = {.names = STRBUF_INIT}, b = {.names = STRBUF_INIT};
    char   *path = xasprintf("%s/%s", top, dir);
    int     ra = queue_walk(path, &qa, 0, note_visit, &a);
    int     rb = queue_walk(path, &qb, QUEUE_WALK_OPEN, note_visit, &b);

    TAP_OK(ra == 0 && rb == 0 && memcmp(qa.n, qb.n, sizeof(qa.n)) == 0,
	   "queue_walk: the same counts with and without QUEUE_WALK_OPEN");
    TAP_STREQ(b.names.s, a.names.s, "queue_walk: the same files visited in the same order");
    TAP_OK(a.fds == 0, "queue_walk without QUEUE_WALK_OPEN hands over no fd");
    TAP_OK(b.fds > 0 && b.fd_ok == b.fds && b.fd_corrupt == 0,
	   "QUEUE_WALK_OPEN: %d files handed over open, each the file its stat describes,"
	   " none in the corrupt queue", b.fds);
    queue_counts_free(&qa);
    queue_counts_free(&qb);
    sb_free(&a.names);
    sb_free(&b.names);
    free(path);
}

int     main(void)
{
    static const char *good[] = {
	"7A842A7202D", "ABCDEF", "3F1A2B4C5D", "4jdxXp2HbKz1bYHn", "0000000000zB",
    };
    static const char *bad[] = {
	"", "ABCDE", "7a842a7202d", "123456.7890", "README", "4jdxXp2HbKa1bYHn",
	"4jdxXp2HbKz", "4jdxXp2HbKz1bYzn", "4jdxXp2HaKz1bYHn", "ABC DEF", "GHIJKL",
	"..", "4jdxXp2HbKz1bY-n",
    };
    char   *s;

    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
	TAP_OK(queue_id_ok(good[i]), "queue ID: \"%s\"", good[i]);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	TAP_OK(!queue_id_ok(bad[i]), "not a queue ID: \"%s\"", bad[i]);

    if (mkdtemp(top) == 0)
	abort();
    sh("mkdir -p q/maildrop q/incoming q/active q/deferred/A/B q/deferred/0 q/hold q/corrupt"
       " q/defer/A q/bounce q/pid q/deferred/G q/deferred/AB");
    sh("touch q/maildrop/7A842A7202D q/maildrop/4jdxXp2HbKz1bYHn q/maildrop/12345.678"
       " q/incoming/ABCDEF01 q/incoming/README"
       " q/active/3F1A2B4C5D q/active/3F1A2B4C5E q/active/3F1A2B4C5F"
       " q/deferred/A/B/AB1234567 q/deferred/A/AC1234567 q/deferred/0/0123456"
       " q/deferred/G/ABCDEF02 q/deferred/AB/ABCDEF03"
       " q/hold/5E2B3C4D6F q/corrupt/5E2B3C4D70"
       " q/defer/A/AB1234567 q/bounce/AC1234567 q/pid/master.pid");
    sh("ln -s /etc/passwd q/hold/ABCDEF04 && mkfifo q/active/ABCDEF05 && mkdir q/hold/ABCDEF06");
    /* Finished queue files: u+rwx (postdrop's maildrop files 0744); corrupt ones as they are. */
    sh("chmod 0744 q/maildrop/* && chmod 0700 q/incoming/* q/active/3* q/deferred/*/*"
       " q/deferred/A/B/* q/hold/5E2B3C4D6F && chmod 0600 q/corrupt/5E2B3C4D70");
    TAP_STREQ(s = counts("q"), "2/1/3/3/1/1",
	      "queue files counted in each queue, hashed levels included, nothing else");
    free(s);

    /* Still being written: no owner execute bit yet. A second link: not a message. */
    sh("touch q/incoming/ABCDEF07 q/maildrop/ABCDEF08 && chmod 0600 q/incoming/ABCDEF07"
       " && chmod 0644 q/maildrop/ABCDEF08 && touch q/active/ABCDEF09 && chmod 0700 q/active/ABCDEF09"
       " && ln q/active/ABCDEF09 q/hold/ABCDEF0A");
    TAP_STREQ(s = counts("q"), "2/1/3/3/1/1",
	      "a queue file still being written (no u+x) or with two links is not counted");
    free(s);
    sh("chmod 0700 q/incoming/ABCDEF07 && chmod 0744 q/maildrop/ABCDEF08 && rm q/hold/ABCDEF0A");
    TAP_STREQ(s = counts("q"), "3/2/4/3/1/1", "the same files, once finished, are counted");
    free(s);
    walk_both("q");
    {
	char   *typed = counts("q"), *untyped;

	unknown_types = 1;
	untyped = counts("q");
	TAP_STREQ(untyped, typed, "no d_type from the file system: the same counts");
	walk_both("q");
	unknown_types = 0;
	free(typed);
	free(untyped);
    }

    sh("mkdir -p r/maildrop r/hold && touch r/hold/ABCDEF && chmod 0700 r/hold/ABCDEF");
    TAP_STREQ(s = counts("r"), "0/0/0/0/1/0", "a queue not created yet counts 0");
    free(s);

    TAP_STREQ(s = counts("none"), "unknown: open /none: No such file or directory",
	      "a missing queue directory is unknown");
    free(s);

    if (geteuid() != 0) {
	sh("chmod 000 q/deferred/A");
	TAP_STREQ(s = counts("q"), "unknown: open /q/deferred/A: Permission denied",
		  "an unreadable hashed subdirectory makes the counts unknown");
	free(s);
	sh("chmod 700 q/deferred/A");
    } else {
	TAP_SKIP("root reads everything", "unreadable directory");
    }
    sh("cd / && rm -rf -- \"$OLDPWD\"");
    return (tap_done());
}
