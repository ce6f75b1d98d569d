/*
 * NAME
 *	queue 3
 * SUMMARY
 *	count the messages in an instance's queues
 * SYNOPSIS
 *	#include "queue.h"
 *
 *	const char *const queue_names[QUEUE_KINDS];
 *
 *	int	queue_count(queue_dir, counts)
 *	const char *queue_dir;
 *	struct queue_counts *counts;
 *
 *	void	queue_counts_free(counts)
 *	struct queue_counts *counts;
 *
 *	int	queue_walk(queue_dir, counts, flags, visit, context)
 *	const char *queue_dir;
 *	struct queue_counts *counts;
 *	int	flags;
 *	void	(*visit)(int kind, int dir_fd, const char *name, int fd,
 *			const struct stat *st, void *context);
 *	void	*context;
 *
 *	int	queue_id_ok(name)
 *	const char *name;
 *
 *	int	queue_hash_dir(name)
 *	const char *name;
 *
 *	int	queue_subdir(name)
 *	const char *name;
 *
 *	int	queue_holds_mail(name)
 *	const char *name;
 * DESCRIPTION
 *	queue_count() counts the messages in the maildrop, incoming,
 *	active, deferred, hold and corrupt queues under queue_dir, by
 *	reading the directories themselves: no postqueue, showq or
 *	postsuper process, no master needed. It returns 0, or -1 with
 *	counts->why set (free it with queue_counts_free()) (and every count -1) when a queue cannot be
 *	read: the queue directory is missing, or a directory is not
 *	readable (queues are private to the mail_owner, so only root
 *	and the mail_owner can count them). A queue subdirectory that
 *	does not exist holds no message and counts 0: Postfix creates
 *	them when it starts.
 *
 *	A message is a regular file whose name is a queue ID
 *	(queue_id_ok()), in the queue directory or in one of its
 *	hashed subdirectories (hash_queue_names, hash_queue_depth):
 *	directories named by one hexadecimal digit, nested, that is
 *	complete: Postfix marks a finished queue file by its owner's
 *	execute bit (read, write and execute for the owner), and a
 *	file that a Postfix program is still writing, first under a
 *	temporary name and then under its queue ID, lacks it. Such a
 *	file, or one with more than one link, is not a message yet
 *	(postqueue does not list it either). In the corrupt queue
 *	every such name counts: those files are damaged already.
 *	Whatever else is there is not counted: the per-message logs
 *	(bounce, defer, trace) and the flush and pid directories are
 *	not queues. Counting
 *	from the hashed layout on disk, not from hash_queue_names,
 *	also counts the messages left in a layout that a change of
 *	those parameters has not yet moved.
 *
 *	queue_walk() counts as queue_count() does, and calls visit
 *	for each message it counts, with the queue (enum queue_kind),
 *	the open directory that holds the file, its name, -1, and its
 *	lstat() (null in the corrupt queue, where it may not be known).
 *	The file may be gone by the time visit opens it. With flags
 *	QUEUE_WALK_OPEN, the walk opens each file of the queues but the
 *	corrupt one itself (read-only, not following a symlink, not
 *	blocking, close-on-exec) and judges it by fstat() of what it
 *	opened, one system call fewer than lstat(), open() and fstat():
 *	visit gets the open fd, which is then its to close or keep, and
 *	that fstat(). A file that could not be opened (but for being
 *	gone) comes with fd -1, its lstat() and errno set to why.
 *
 *	queue_hash_dir() tells whether a name is that of a hashed
 *	queue subdirectory (one upper-case hexadecimal digit);
 *	queue_subdir() whether it is one of the subdirectories that
 *	postfix set-permissions makes in a queue directory, and
 *	queue_holds_mail() whether that one holds messages (the queues
 *	above, and "saved"). destroy (sweep.c) goes by these.
 *
 *	queue_id_ok() tells whether a name is a queue ID as Postfix
 *	makes them: a short one (enable_long_queue_ids = no), six or
 *	more upper-case hexadecimal digits (microseconds, then the
 *	file's inode number); or a long one, ten characters of seconds
 *	and microseconds in base 52 (digits and consonants), "z", and
 *	the inode number in base 51 (the same without "z").
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <unistd.h>

#include "queue.h"
#include "util.h"

const char *const queue_names[QUEUE_KINDS] = {
    "maildrop", "incoming", "active", "deferred", "hold", "corrupt",
};

 /*
  * Postfix allows a hash_queue_depth of at most 16.
  */
#define QUEUE_MAX_DEPTH	16

#define QUEUE_SHORT_MIN	6		/* 5 digits of usec, 1 of inode */
#define QUEUE_LONG_SEP	10		/* 6 of seconds, 4 of usec */

 /*
  * The subdirectories of a queue directory that postfix set-permissions
  * makes; those that hold mail (a message there stops destroy).
  */
static const char *const subdirs[] = {
    "active", "bounce", "corrupt", "defer", "deferred", "flush", "hold",
    "incoming", "maildrop", "pid", "private", "public", "saved", "trace",
};
static const char *const mail_dirs[] = {
    "active", "corrupt", "deferred", "hold", "incoming", "maildrop", "saved",
};

/* queue_subdir - is name a queue subdirectory that Postfix makes? */

int     queue_subdir(const char *name)
{
    return (name_in(name, subdirs, sizeof(subdirs) / sizeof(subdirs[0])));
}

/* queue_holds_mail - does that subdirectory hold messages? */

int     queue_holds_mail(const char *name)
{
    return (name_in(name, mail_dirs, sizeof(mail_dirs) / sizeof(mail_dirs[0])));
}

/* long_id_char - a base-52 digit of a long queue ID (no vowels) */

static int long_id_char(int ch)
{
    return ((ch >= '0' && ch <= '9')
	    || (ch >= 'A' && ch <= 'Z' && strchr("AEIOU", ch) == 0)
	    || (ch >= 'a' && ch <= 'z' && strchr("aeiou", ch) == 0));
}

/* queue_id_ok - is name a short or long queue ID? */

int     queue_id_ok(const char *name)
{
    size_t  len = strlen(name), i;

    if (len >= QUEUE_SHORT_MIN
	&& strspn(name, "0123456789ABCDEF") == len)
	return (1);
    if (len < QUEUE_LONG_SEP + 2 || name[QUEUE_LONG_SEP] != 'z')
	return (0);
    for (i = 0; i < len; i++)
	if (i != QUEUE_LONG_SEP
	    && (!long_id_char((unsigned char) name[i]) || (i > QUEUE_LONG_SEP && name[i] == 'z')))
	    return (0);
    return (1);
}

/* queue_hash_dir - is name a hashed queue subdirectory (one hex digit)? */

int     queue_hash_dir(const char *name)
{
    return (name[0] != 0 && name[1] == 0 && strchr("0123456789ABCDEF", name[0]) != 0);
}

/* queue_file_ready - is a queue file complete, a message? */

static int queue_file_ready(const struct stat *st)
{
    /* Finished: read, write and execute for the owner; one link. */
    return (S_ISREG(st->st_mode) && (st->st_mode & S_IRWXU) == S_IRWXU && st->st_nlink == 1);
}

/* unreadable - record why the counts are unknown */

static int unreadable(struct queue_counts *qc, const char *op, const strbuf *path)
{
    free(qc->why);
    qc->why = xasprintf("%s %s: %s", op, path->s, strerror(errno));
    return (-1);
}

/* walk_dir - visit the queue files under an open directory, and close it */

static int walk_dir(int fd, strbuf *path, int depth, int kind, struct queue_counts *qc,
		            int ready_only, int open_files, queue_visit_fn visit, void *ctx)
{
    /* getdents64(), not readdir(): no fstat, fcntl or malloc per directory. */
    char    buf[16384] __attribute__((aligned(8)));
    ssize_t len;
    int     status = 0;

    while (status == 0 && (len = getdents64(fd, buf, sizeof(buf))) > 0) {
	for (ssize_t off = 0; status == 0 && off < len;) {
	    struct dirent64 *dp = (struct dirent64 *) (buf + off);
	    int     type = dp->d_type, have_st = 0, file_fd = -1, err;
	    struct stat st;

	    off += dp->d_reclen;
	    if (type == DT_UNKNOWN) {
		if (fstatat(fd, dp->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		    continue;			/* gone meanwhile */
		have_st = 1;
		type = S_ISREG(st.st_mode) ? DT_REG : S_ISDIR(st.st_mode) ? DT_DIR : DT_UNKNOWN;
	    }
	    if (open_files && ready_only && type == DT_REG && queue_id_ok(dp->d_name)) {
		/* The file opened, and judged by what was opened. */
		file_fd = openat(fd, dp->d_name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (file_fd < 0) {
		    if ((err = errno) == ENOENT
			|| fstatat(fd, dp->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;		/* gone meanwhile */
		} else if (fstat(file_fd, &st) < 0) {
		    err = errno;
		    close(file_fd);
		    file_fd = -1;
		    if (fstatat(fd, dp->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		} else {
		    err = 0;
		}
		if (queue_file_ready(&st)) {
		    qc->n[kind] += 1;
		    errno = err;
		    visit(kind, fd, dp->d_name, file_fd, &st, ctx);
		} else if (file_fd >= 0) {
		    close(file_fd);
		}
		continue;
	    }
	    if (type == DT_REG && queue_id_ok(dp->d_name)) {
		if (ready_only && !have_st) {
		    if (fstatat(fd, dp->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;		/* gone meanwhile */
		    have_st = 1;
		}
		if (!ready_only || queue_file_ready(&st)) {
		    qc->n[kind] += 1;
		    if (visit)
			visit(kind, fd, dp->d_name, -1, have_st ? &st : 0, ctx);
		}
	    } else if (type == DT_DIR && depth < QUEUE_MAX_DEPTH && queue_hash_dir(dp->d_name)) {
		size_t  plen = path->len;
		int     subfd;

		sb_printf(path, "/%s", dp->d_name);
		subfd = openat(fd, dp->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (subfd >= 0)
		    status = walk_dir(subfd, path, depth + 1, kind, qc, ready_only, open_files,
				      visit, ctx);
		else if (errno != ENOENT)	/* ENOENT: emptied and removed */
		    status = unreadable(qc, "open", path);
		path->s[path->len = plen] = 0;
	    }
	}
    }
    if (status == 0 && len < 0)
	status = unreadable(qc, "read", path);
    close(fd);
    return (status);
}

/* queue_walk - count the messages in each queue of queue_dir, visiting each */

int     queue_walk(const char *queue_dir, struct queue_counts *qc, int flags,
		           queue_visit_fn visit, void *ctx)
{
    strbuf  path = STRBUF_INIT;
    struct stat st;
    int     status = 0, top_checked = 0;

    memset(qc, 0, sizeof(*qc));
    for (int k = 0; status == 0 && k < QUEUE_KINDS; k++) {
	int     fd;

	sb_reset(&path);
	sb_printf(&path, "%s/%s", queue_dir, queue_names[k]);
	if ((fd = open(path.s, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
	    status = walk_dir(fd, &path, 0, k, qc, k != QUEUE_CORRUPT,
			      (flags & QUEUE_WALK_OPEN) && visit, visit, ctx);
	} else if (errno != ENOENT) {
	    status = unreadable(qc, "open", &path);
	} else if (!top_checked) {
	    /* A queue not yet created holds nothing; a missing queue_directory is unknown. */
	    top_checked = 1;
	    sb_reset(&path);
	    sb_puts(&path, queue_dir);
	    if (stat(queue_dir, &st) < 0)
		status = unreadable(qc, "open", &path);
	}
    }
    if (status < 0)
	for (int k = 0; k < QUEUE_KINDS; k++)
	    qc->n[k] = -1;
    sb_free(&path);
    return (status);
}

/* queue_count - count the messages in each queue of queue_dir */

int     queue_count(const char *queue_dir, struct queue_counts *qc)
{
    return (queue_walk(queue_dir, qc, 0, 0, 0));
}

/* queue_counts_free - release what queue_count() allocated */

void    queue_counts_free(struct queue_counts *qc)
{
    free(qc->why);
    qc->why = 0;
}
