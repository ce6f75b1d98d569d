/*
 * NAME
 *	cfwrite 3
 * SUMMARY
 *	locked, atomic replacement of configuration files
 * SYNOPSIS
 *	#include "cfwrite.h"
 *
 *	int	cf_lock(config_dir, err)
 *	const char *config_dir;
 *	char	**err;
 *
 *	void	cf_unlock(fd)
 *	int	fd;
 *
 *	int	cf_replace(path, data, len, err)
 *	const char *path;
 *	const char *data;
 *	size_t	len;
 *	char	**err;
 *
 *	int	cf_clean(path, err)
 *	const char *path;
 *	char	**err;
 *
 *	int	cf_check(path, err)
 *	const char *path;
 *	char	**err;
 * DESCRIPTION
 *	cf_lock() takes the multi-instance configuration lock: an
 *	exclusive flock() on the configuration directory itself, so no
 *	lock file is left behind and every postmulti that edits that
 *	directory waits for the others. It blocks until the lock is
 *	granted and returns the descriptor that holds it. cf_unlock()
 *	releases the lock and closes the descriptor.
 *
 *	cf_replace() replaces the contents of a file so that a reader sees
 *	the old or the new contents, never a mix, and a crash leaves one
 *	of the two: the data go to a temporary file ".<name>.postmulti.XXXXXX"
 *	in the same directory, which gets the mode, owner and group of the
 *	file it replaces (mode 0644 and the caller's ids for a new file),
 *	is flushed to disk, renamed over the file, and the directory is
 *	flushed too. When path is a symbolic link, the file it resolves to
 *	is replaced and the link stays; a link to nowhere is an error.
 *
 *	On failure before the rename, the temporary file is removed and
 *	the file is untouched. A failure to flush the directory after the
 *	rename is reported too, although the new contents are in place by
 *	then: they may not survive a crash.
 *
 *	A process killed between creating the temporary file and the
 *	rename leaves the temporary file behind. cf_clean() removes such
 *	leftovers of a cf_replace() of path and returns how many it
 *	removed. Only the holder of the lock may call it, and only when
 *	every cf_replace() of path happens under that lock: another run's
 *	temporary file in the making looks just the same.
 *
 *	cf_check() changes nothing: it says whether cf_replace() of path
 *	would be refused for want of permission, for a dry run. Checked,
 *	with the effective ids (those cf_replace() acts with): the file
 *	(or what a symbolic link resolves to) is a regular file or
 *	absent; its directory can be searched and written; without root,
 *	the temporary file can get the file's owner and group; the file
 *	is not immutable. A read-only file system fails the directory
 *	check. The refusal is cf_replace()'s, with the temporary file
 *	named by its template (".<name>.postmulti.XXXXXX") instead of the
 *	random name a real run would get. Not checked: the disk space,
 *	errors of the hardware, a sticky directory, an append-only file
 *	or directory.
 * DIAGNOSTICS
 *	cf_lock(), cf_replace(), cf_clean() and cf_check() return -1 on failure, with
 *	*err set to a one-line message in memory that the caller frees:
 *	the operation, the file, and the system error.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfwrite.h"
#include "fault.h"
#include "util.h"

 /*
  * The temporary file of a replacement: ".<name>.postmulti.XXXXXX".
  */
#define TEMP_INFIX	".postmulti."
#define TEMP_SUFFIX	"XXXXXX"

/* fail - set *err to "what path: system error" and return -1 */

static int fail(char **err, const char *what, const char *path)
{
    *err = xasprintf("%s %s: %s", what, path, strerror(errno));
    return (-1);
}

/* cf_lock - lock a configuration directory against other postmulti runs */

int     cf_lock(const char *config_dir, char **err)
{
    int     fd;

    if ((fd = open(config_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
	return (fail(err, "lock", config_dir));
    while (flock(fd, LOCK_EX) < 0) {
	if (errno != EINTR) {
	    int     saved = errno;

	    close(fd);
	    errno = saved;
	    return (fail(err, "lock", config_dir));
	}
    }
    return (fd);
}

/* cf_unlock - release the configuration lock */

void    cf_unlock(int fd)
{
    if (fd >= 0) {
	(void) flock(fd, LOCK_UN);
	(void) close(fd);
    }
}

/* write_all - write everything, through short writes and signals */

static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
	ssize_t n = write(fd, data, len);

	if (n < 0) {
	    if (errno == EINTR)
		continue;
	    return (-1);
	}
	data += n;
	len -= (size_t) n;
    }
    return (0);
}

/* sync_dir - flush a directory, so that a rename in it is durable */

static int sync_dir(const char *dir)
{
    int     fd;
    int     saved;

    if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
	return (-1);
    if (fsync(fd) < 0) {
	saved = errno;
	close(fd);
	errno = saved;
	return (-1);
    }
    return (close(fd));
}

/* write_temp - fill the new file and make it look like the old one */

static int write_temp(int fd, const char *tmp, const char *data, size_t len,
		              const struct stat *old, char **err)
{
    if (write_all(fd, data, len) < 0)
	return (fail(err, "write", tmp));

    /*
     * Owner before mode: changing the owner clears set-id bits.
     */
    if (old != 0 && fchown(fd, old->st_uid, old->st_gid) < 0)
	return (fail(err, "chown", tmp));
    if (fchmod(fd, old ? old->st_mode & 07777 : 0644) < 0)
	return (fail(err, "chmod", tmp));
    if (fsync(fd) < 0)
	return (fail(err, "fsync", tmp));
    return (0);
}

/* resolve - the file a replacement of path replaces, with its dir and temp name */

static char *resolve(const char *path, struct stat *st, int *exists,
		             char **dir, char **temp_prefix, char **err)
{
    char   *target, *slash;

    /* Replace what a symbolic link points to, not the link. */
    *exists = 1;
    if (lstat(path, st) < 0) {
	if (errno != ENOENT) {
	    fail(err, "stat", path);
	    return (0);
	}
	*exists = 0;
	target = xstrdup(path);
    } else if (S_ISLNK(st->st_mode)) {
	if ((target = realpath(path, 0)) == 0) {
	    fail(err, "resolve", path);
	    return (0);
	}
	if (stat(target, st) < 0) {
	    fail(err, "stat", target);
	    free(target);
	    return (0);
	}
    } else {
	target = xstrdup(path);
    }
    if ((slash = strrchr(target, '/')) != 0) {
	*dir = xstrndup(target, (size_t) (slash - target) + (slash == target));
	*temp_prefix = xasprintf("." "%s" TEMP_INFIX, slash + 1);
    } else {
	*dir = xstrdup(".");
	*temp_prefix = xasprintf("." "%s" TEMP_INFIX, target);
    }
    return (target);
}

/* cf_replace - atomically replace a file's contents */

int     cf_replace(const char *path, const char *data, size_t len, char **err)
{
    struct stat st;
    int     exists;
    char   *target, *tmp, *dir, *prefix;
    int     fd;
    int     ret = -1;

    if ((target = resolve(path, &st, &exists, &dir, &prefix, err)) == 0)
	return (-1);
    if (exists && !S_ISREG(st.st_mode)) {
	*err = xasprintf("replace %s: not a regular file", target);
	free(target);
	free(dir);
	free(prefix);
	return (-1);
    }
    tmp = xasprintf("%s/%s" TEMP_SUFFIX, dir, prefix);

    if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
	fail(err, "create", tmp);
    } else {
	if (write_temp(fd, tmp, data, len, exists ? &st : 0, err) < 0) {
	    close(fd);
	    unlink(tmp);
	} else if (close(fd) < 0) {
	    fail(err, "close", tmp);
	    unlink(tmp);
	} else {
	    /* The new text is on disk, under the temporary name only. */
	    fault_point(tmp);
	    if (rename(tmp, target) < 0) {
		fail(err, "rename", tmp);
		unlink(tmp);
	    } else if (sync_dir(dir) < 0) {
		fail(err, "fsync", dir);
	    } else {
		ret = 0;
	    }
	}
    }
    free(tmp);
    free(dir);
    free(prefix);
    free(target);
    return (ret);
}

/* cf_clean - remove what a killed cf_replace() of path left behind */

int     cf_clean(const char *path, char **err)
{
    struct stat st;
    int     exists, dfd, removed = 0;
    char   *target, *dir, *prefix;
    size_t  plen;
    DIR    *dp;
    struct dirent *de;

    if ((target = resolve(path, &st, &exists, &dir, &prefix, err)) == 0)
	return (-1);
    plen = strlen(prefix);
    if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0
	|| (dp = fdopendir(dfd)) == 0) {
	removed = errno == ENOENT ? 0 : fail(err, "open", dir);
	if (dfd >= 0)
	    close(dfd);
    } else {
	while (removed >= 0 && (de = readdir(dp)) != 0) {
	    if (strncmp(de->d_name, prefix, plen) != 0
		|| strlen(de->d_name + plen) != strlen(TEMP_SUFFIX)
		|| fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0
		|| !S_ISREG(st.st_mode))
		continue;
	    if (unlinkat(dfd, de->d_name, 0) < 0 && errno != ENOENT) {
		*err = xasprintf("remove %s/%s: %s", dir, de->d_name, strerror(errno));
		removed = -1;
	    } else {
		removed++;
	    }
	}
	closedir(dp);
    }
    free(target);
    free(dir);
    free(prefix);
    return (removed);
}

/* may_own - can a file we create get this owner and group? */

static int may_own(const struct stat *old, const char *dir)
{
    gid_t   groups[NGROUPS_MAX];
    struct stat dst;
    int     n;

    /* Root's own fchown() is the test; a failure there is reported then. */
    if (geteuid() == 0)
	return (1);
    if (old->st_uid != geteuid())
	return (0);
    if (old->st_gid == getegid())
	return (1);
    /* In a set-group-ID directory the new file already has its group. */
    if (stat(dir, &dst) == 0 && (dst.st_mode & S_ISGID) && dst.st_gid == old->st_gid)
	return (1);
    if ((n = getgroups(NGROUPS_MAX, groups)) > 0)
	for (int i = 0; i < n; i++)
	    if (groups[i] == old->st_gid)
		return (1);
    return (0);
}

/* cf_check - would cf_replace() of path be allowed? */

int     cf_check(const char *path, char **err)
{
    struct stat st;
    int     exists, ret = -1;
    char   *target, *tmp, *dir, *prefix;

    if ((target = resolve(path, &st, &exists, &dir, &prefix, err)) == 0)
	return (-1);
    tmp = xasprintf("%s/%s" TEMP_SUFFIX, dir, prefix);
    if (exists && !S_ISREG(st.st_mode)) {
	*err = xasprintf("replace %s: not a regular file", target);
    } else if (faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) < 0) {
	/* mkostemp() fails the same way: EACCES, EROFS, EPERM (immutable). */
	fail(err, "create", tmp);
    } else if (exists && !may_own(&st, dir)) {
	errno = EPERM;
	fail(err, "chown", tmp);
    } else if (exists && faccessat(AT_FDCWD, target, W_OK, AT_EACCESS) < 0
	       && errno == EPERM) {
	/* Not the mode: an immutable file, which rename() cannot replace. */
	fail(err, "rename", tmp);
    } else {
	ret = 0;
    }
    free(tmp);
    free(dir);
    free(prefix);
    free(target);
    return (ret);
}
