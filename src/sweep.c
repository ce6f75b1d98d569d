/*
 * NAME
 *	sweep 3
 * SUMMARY
 *	clear an instance directory of what Postfix made in it
 * SYNOPSIS
 *	#include "sweep.h"
 *
 *	void	sweep(sw, path, role)
 *	struct sweep *sw;
 *	const char *path;
 *	enum role role;
 *
 *	char	*sweep_writable(at, dir, path)
 *	int	at;
 *	const char *dir;
 *	const char *path;
 *
 *	void	sweep_tops(removed, tops)
 *	const strlist *removed;
 *	strlist	*tops;
 *
 *	void	sweep_leave(left, path, err)
 *	struct leftovers *left;
 *	const char *path;
 *	int	err;
 *
 *	int	sweep_stays(left, path, gone)
 *	struct leftovers *left;
 *	const char *path;
 *	const strlist *gone;
 *
 *	void	left_add(left, path, why)
 *	struct leftovers *left;
 *	const char *path;
 *	const char *why;
 *
 *	void	left_free(left)
 *	struct leftovers *left;
 * DESCRIPTION
 *	"postmulti -e destroy" removes only what Postfix creates, and
 *	never through a symbolic link. sweep() looks at (sw->act = 0) or
 *	clears (sw->act = 1) the directory at path by its role: the
 *	queue directory and, below it, the subdirectories that
 *	"postfix set-permissions" makes (with their one-hex-digit hashed
 *	subdirectories), or the data directory. Destroy looks first, so
 *	that a refusal changes nothing, then acts.
 *
 *	What goes: empty queue subdirectories, pid and lock files in
 *	pid/, sockets and FIFOs in private/ and public/, master.lock in
 *	the data directory, and each directory left empty. Below etc/,
 *	lib/ and usr/ of the queue directory, where Debian's
 *	set-permissions (Postfix 3.9 and later; the instance's start on
 *	older ones) copies system files for chrooted services, each
 *	regular file that is byte for byte the system's file of the same
 *	path (and not that file itself) goes too. Everything
 *	else stays and is added to sw->left with the reason: a regular
 *	file in a log directory (bounce, defer, flush, trace) is "a log
 *	file of the mail queue", a file below etc/, lib/ or usr/ whose
 *	system file differs "differs from" it, a directory that stays
 *	because something in it stays "not empty", anything else "not
 *	created by Postfix". A file where mail lives
 *	(queue_holds_mail()) counts in sw->messages; a symbolic link or a file
 *	where a directory belongs, or a directory that cannot be written,
 *	sets sw->refuse. A directory that cannot be opened or read sets
 *	sw->refuse in look mode. In act mode the first removal or read
 *	that fails sets sw->error, for the caller to report: by then part
 *	of the instance may be gone. sw->removed lists what went (or
 *	would go), in the order of removal, a directory after what was in
 *	it: directories are read in sorted order, so a dry run and a run
 *	agree.
 *
 *	sweep_writable() returns NULL when entries of the directory dir
 *	(relative to the descriptor at, as faccessat(2)) can be removed
 *	with the effective ids, else the refusal "cannot remove files in path: why" in new memory.
 *	Destroy asks it of each directory it clears and of the parent of
 *	each it removes.
 *
 *	sweep_tops() adds to tops each entry of a sweep's removed list
 *	that is not inside a directory also in the list: what went, in as
 *	few lines as can say it (the directory alone when the sweep
 *	removed it; each subdirectory and file that went when the sweep
 *	stopped half way or left something in place).
 *
 *	sweep_leave() adds to left what a directory that stays holds
 *	("not created by Postfix"), then the directory itself: "not
 *	empty" when err, the rmdir(2) error, says so, else err's text.
 *
 *	sweep_stays() tells a dry run what sweep_leave() will say after
 *	the files in gone (full paths) are removed: it adds to left what
 *	else the directory holds and the directory ("not empty"), and
 *	returns 1; or returns 0 when nothing else is there (or it cannot
 *	be read: then the removal will say).
 *
 *	left_add() appends a path and its reason; left_free() releases
 *	the lists.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sweep.h"
#include "fault.h"
#include "msg.h"
#include "queue.h"
#include "util.h"

 /*
  * Queue subdirectories where Debian's set-permissions copies system files
  * (etc/hosts, lib/libnss_*.so.2, ...) for services that run chrooted.
  */
static const char *const chroot_dirs[] = {
    "etc", "lib", "usr",
};

/* subdir_role - the role of a queue subdirectory */

static enum role subdir_role(const char *name)
{
    if (strcmp(name, "pid") == 0)
	return (ROLE_PID);
    if (strcmp(name, "private") == 0 || strcmp(name, "public") == 0)
	return (ROLE_SOCKETS);
    if (queue_holds_mail(name))
	return (ROLE_MESSAGES);
    return (ROLE_LOGS);
}

/* same_bytes - do two open files hold the same bytes, to the end? */

static int same_bytes(int a, int b)
{
    char    abuf[8192], bbuf[8192];
    ssize_t an, bn;

    for (;;) {
	if ((an = read(a, abuf, sizeof(abuf))) < 0)
	    return (0);
	/* A regular file gives what is asked for, but for its end. */
	if ((bn = read(b, bbuf, (size_t) an)) != an || memcmp(abuf, bbuf, (size_t) an) != 0)
	    return (0);
	if (an == 0)
	    return (1);
    }
}

/* system_copy - is dfd/name (a regular file, st) a copy of system file sys? */

static int system_copy(int dfd, const char *name, const struct stat *st,
		               const char *sys, int *differs)
{
    struct stat sst, cst;
    int     sfd, cfd, same = 0;

    /* The system's file may be a link (/etc/localtime): its content counts. */
    *differs = 0;
    if (*sys != '/' || (sfd = open(sys, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
	return (0);
    if ((cfd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) >= 0) {
	/* Never the system's file itself, whatever mount shows it here. */
	int     both = fstat(sfd, &sst) == 0 && fstat(cfd, &cst) == 0
	    && S_ISREG(sst.st_mode) && S_ISREG(cst.st_mode)
	    && cst.st_dev == st->st_dev && cst.st_ino == st->st_ino
	    && (sst.st_dev != cst.st_dev || sst.st_ino != cst.st_ino);

	same = both && sst.st_size == cst.st_size && same_bytes(sfd, cfd);
	/* A copy that went stale, or was edited: the system file is there. */
	*differs = both && !same;
	close(cfd);
    }
    close(sfd);
    return (same);
}

/* by_name - qsort() order of strings */

static int by_name(const void *a, const void *b)
{
    return (strcmp(*(char *const *) a, *(char *const *) b));
}

/* read_names - a directory's entries but "." and "..", sorted */

static void read_names(DIR *dp, strlist *names)
{
    struct dirent *de;

    while ((de = readdir(dp)) != 0)
	if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
	    sl_add(names, de->d_name);
    /* Sorted, so that a dry run and a run go the same way every time. */
    if (names->n > 1)
	qsort(names->v, names->n, sizeof(*names->v), by_name);
}

static int sweep_dir(struct sweep *, int, const char *, const char *, enum role);

/* trouble - a directory that cannot be read: refuse, or report to the executor */

static void trouble(struct sweep *sw, char *why)
{
    char  **slot = sw->act ? &sw->error : &sw->refuse;

    /*
     * Not fatal here: in act mode part of the instance is gone already,
     * and only the caller can say so and how to finish.
     */
    if (*slot == 0)
	*slot = why;
    else
	free(why);
}

/* sweep_entry - handle one entry of a directory; 1 if it goes */

static int sweep_entry(struct sweep *sw, int dfd, const char *name,
		               const char *path, enum role role)
{
    struct stat st;
    int     is_dir, differs = 0;
    char   *why;

    if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
	if (errno == ENOENT)
	    return (1);
	trouble(sw, xasprintf("%s: %s", path, strerror(errno)));
	return (0);
    }
    is_dir = S_ISDIR(st.st_mode);
    switch (role) {
    case ROLE_QUEUE:
	if (is_dir && name_in(name, chroot_dirs, sizeof(chroot_dirs) / sizeof(chroot_dirs[0])))
	    return (sweep_dir(sw, dfd, name, path, ROLE_CHROOT));
	if (!queue_subdir(name))
	    break;
	if (!is_dir) {
	    if (sw->refuse == 0)
		sw->refuse = xasprintf("%s is not a directory%s: remove it by hand"
				       " or fix the instance first", path,
				    S_ISLNK(st.st_mode) ? " but a symbolic link" : "");
	    return (0);
	}
	return (sweep_dir(sw, dfd, name, path, subdir_role(name)));
    case ROLE_MESSAGES:
    case ROLE_LOGS:
	if (is_dir && queue_hash_dir(name))
	    return (sweep_dir(sw, dfd, name, path, role));
	if (role == ROLE_MESSAGES && !is_dir)
	    sw->messages++;
	break;
    case ROLE_PID:
	if (S_ISREG(st.st_mode))
	    goto remove;
	break;
    case ROLE_SOCKETS:
	if (S_ISSOCK(st.st_mode) || S_ISFIFO(st.st_mode))
	    goto remove;
	break;
    case ROLE_DATA:
	if (S_ISREG(st.st_mode) && strcmp(name, "master.lock") == 0)
	    goto remove;
	break;
    case ROLE_CHROOT:
	if (is_dir)
	    return (sweep_dir(sw, dfd, name, path, ROLE_CHROOT));
	/* path is the queue directory's, then "/etc/hosts" and the like. */
	if (S_ISREG(st.st_mode) && system_copy(dfd, name, &st, path + sw->root, &differs))
	    goto remove;
	break;
    }
    if (differs) {
	why = xasprintf("differs from %s", path + sw->root);
	left_add(sw->left, path, why);
	free(why);
    } else {
	/* Postfix's own record of mail, kept like the mail itself. */
	left_add(sw->left, path, role == ROLE_LOGS && S_ISREG(st.st_mode) ?
		 LEFT_QUEUE_LOG : LEFT_FOREIGN);
    }
    return (0);

remove:
    if (sw->act) {
	fault_point(path);
	if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT) {
	    if (sw->error == 0)
		sw->error = xasprintf("remove %s: %s", path, strerror(errno));
	    return (0);
	}
    }
    sl_add(&sw->removed, path);
    return (1);
}

/* sweep_dir - clear a directory of what Postfix made; 1 if it goes */

static int sweep_dir(struct sweep *sw, int parent, const char *name,
		             const char *path, enum role role)
{
    int     dfd, all_gone = 1;
    DIR    *dp;
    strlist names = STRLIST_INIT;

    if ((dfd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
	if (errno == ENOENT)
	    return (1);
	if (errno == ELOOP || errno == ENOTDIR) {
	    if (sw->refuse == 0)
		sw->refuse = xasprintf("%s is not a directory%s: remove it by hand"
				       " or fix the instance first", path,
				       errno == ELOOP ? " but a symbolic link" : "");
	    return (0);
	}
	trouble(sw, xasprintf("open %s: %s", path, strerror(errno)));
	return (0);
    }
    /* Destroy empties this directory and removes it: both need write access. */
    if (!sw->act && sw->refuse == 0
	&& (sw->refuse = sweep_writable(dfd, ".", path)) == 0 && parent != AT_FDCWD)
	sw->refuse = sweep_writable(parent, ".", path);
    if ((dp = fdopendir(dfd)) == 0) {
	trouble(sw, xasprintf("read %s: %s", path, strerror(errno)));
	close(dfd);
	return (0);
    }
    read_names(dp, &names);
    for (size_t i = 0; i < names.n; i++) {
	char   *sub = xasprintf("%s/%s", path, names.v[i]);

	all_gone &= sweep_entry(sw, dirfd(dp), names.v[i], sub, role);
	free(sub);
    }
    closedir(dp);
    sl_free(&names);
    if (!all_gone) {
	left_add(sw->left, path, LEFT_NOT_EMPTY);
	return (0);
    }
    if (sw->act) {
	fault_point(path);
	if (unlinkat(parent, name, AT_REMOVEDIR) < 0 && errno != ENOENT) {
	    if (sw->error == 0)
		sw->error = xasprintf("remove %s: %s", path, strerror(errno));
	    return (0);
	}
    }
    sl_add(&sw->removed, path);
    return (1);
}

/* sweep - look at or clear an instance directory, given by absolute path */

void    sweep(struct sweep *sw, const char *path, enum role role)
{
    sw->root = strlen(path);
    sweep_dir(sw, AT_FDCWD, path, path, role);
}

/* sweep_writable - NULL, or why entries of a directory cannot be removed */

char   *sweep_writable(int at, const char *dir, const char *path)
{
    /* The effective ids, which the removals act with, not the real ones. */
    if (faccessat(at, dir, W_OK, AT_EACCESS) < 0)
	return (xasprintf("cannot remove files in %s: %s", path, strerror(errno)));
    return (0);
}

/* sweep_tops - what a sweep removed, a directory without its contents */

void    sweep_tops(const strlist *removed, strlist *tops)
{
    for (size_t i = 0; i < removed->n; i++) {
	const char *path = removed->v[i], *slash = strrchr(path, '/');
	size_t  len = slash ? (size_t) (slash - path) : 0;
	int     inside = 0;

	/*
	 * A directory goes only after all it held, so its entry comes
	 * later in the list; a grandparent that went means a parent that
	 * went, so the parent alone decides.
	 */
	for (size_t j = i + 1; j < removed->n && !inside; j++)
	    inside = len > 0 && strlen(removed->v[j]) == len
		&& strncmp(removed->v[j], path, len) == 0;
	if (!inside)
	    sl_add(tops, path);
    }
}

/* left_add - one path that stays, and why */

void    left_add(struct leftovers *left, const char *path, const char *why)
{
    sl_add(&left->path, path);
    sl_add(&left->why, why);
}

/* left_free - release the lists */

void    left_free(struct leftovers *left)
{
    sl_free(&left->path);
    sl_free(&left->why);
}

/* leave_entries - what a directory holds but gone, as leftovers; how many */

static size_t leave_entries(struct leftovers *left, const char *path, const strlist *gone)
{
    DIR    *dp;
    strlist names = STRLIST_INIT;
    size_t  n = 0;

    if ((dp = opendir(path)) != 0) {
	read_names(dp, &names);
	closedir(dp);
    }
    for (size_t i = 0; i < names.n; i++) {
	char   *sub = xasprintf("%s/%s", path, names.v[i]);

	if (gone == 0 || sl_find(gone, sub) < 0) {
	    left_add(left, sub, LEFT_FOREIGN);
	    n++;
	}
	free(sub);
    }
    sl_free(&names);
    return (n);
}

/* sweep_leave - a directory that stays: what is in it, then itself */

void    sweep_leave(struct leftovers *left, const char *path, int err)
{
    leave_entries(left, path, 0);
    left_add(left, path, err == ENOTEMPTY || err == EEXIST ? LEFT_NOT_EMPTY : strerror(err));
}

/* sweep_stays - would a directory stay once gone are gone? what it would hold */

int     sweep_stays(struct leftovers *left, const char *path, const strlist *gone)
{
    if (leave_entries(left, path, gone) == 0)
	return (0);
    left_add(left, path, LEFT_NOT_EMPTY);
    return (1);
}
