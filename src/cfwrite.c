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
 * DIAGNOSTICS
 *	cf_lock() and cf_replace() return -1 on failure, with *err set to
 *	a one-line message in memory that the caller frees: the operation,
 *	the file, and the system error.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cfwrite.h"
#include "util.h"

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

/* cf_replace - atomically replace a file's contents */

int     cf_replace(const char *path, const char *data, size_t len, char **err)
{
    struct stat st;
    struct stat *old = &st;
    char   *target;
    char   *tmp;
    char   *slash;
    char   *dir;
    int     fd;
    int     ret = -1;

    /* Replace what a symbolic link points to, not the link. */
    if (lstat(path, &st) < 0) {
	if (errno != ENOENT)
	    return (fail(err, "stat", path));
	old = 0;
	target = xstrdup(path);
    } else if (S_ISLNK(st.st_mode)) {
	if ((target = realpath(path, 0)) == 0)
	    return (fail(err, "resolve", path));
	if (stat(target, &st) < 0) {
	    ret = fail(err, "stat", target);
	    free(target);
	    return (ret);
	}
    } else {
	target = xstrdup(path);
    }
    if (old != 0 && !S_ISREG(st.st_mode)) {
	*err = xasprintf("replace %s: not a regular file", target);
	free(target);
	return (-1);
    }
    if ((slash = strrchr(target, '/')) != 0) {
	dir = xstrndup(target, (size_t) (slash - target) + (slash == target));
	tmp = xasprintf("%.*s/.%s.postmulti.XXXXXX",
			(int) (slash - target), target, slash + 1);
    } else {
	dir = xstrdup(".");
	tmp = xasprintf(".%s.postmulti.XXXXXX", target);
    }

    if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
	fail(err, "create", tmp);
    } else {
	if (write_temp(fd, tmp, data, len, old, err) < 0) {
	    close(fd);
	    unlink(tmp);
	} else if (close(fd) < 0) {
	    fail(err, "close", tmp);
	    unlink(tmp);
	} else if (rename(tmp, target) < 0) {
	    fail(err, "rename", tmp);
	    unlink(tmp);
	} else if (sync_dir(dir) < 0) {
	    fail(err, "fsync", dir);
	} else {
	    ret = 0;
	}
    }
    free(tmp);
    free(dir);
    free(target);
    return (ret);
}
