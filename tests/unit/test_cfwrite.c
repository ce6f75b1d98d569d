/*
 * test_cfwrite - the configuration lock and atomic file replacement, and
 * cf_check(), which refuses as cf_replace() would, changing nothing.
 *
 * Everything happens under a fresh directory in /tmp. Checks that need
 * root (other owners, dropping privileges, mounting a small tmpfs in a
 * private mount namespace) report "skip" without it.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tap.h"
#include "cfwrite.h"
#include "util.h"

#define NOBODY	65534

static char top[] = "/tmp/test_cfwrite.XXXXXX";

/* path_in - a path under the test directory, in static memory */

static const char *path_in(const char *name)
{
    static char buf[4][256];
    static int next;
    char   *p = buf[next++ % 4];

    snprintf(p, sizeof(buf[0]), "%s/%s", top, name);
    return (p);
}

/* put - create a file with given contents and mode */

static void put(const char *path, const char *text, mode_t mode)
{
    int     fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t) strlen(text)
	|| fchmod(fd, mode) < 0 || close(fd) < 0) {
	perror(path);
	exit(1);
    }
}

/* has_text - does a file hold exactly this text? */

static int has_text(const char *path, const char *text)
{
    strbuf  sb = STRBUF_INIT;
    int     same;

    same = read_file(path, &sb, 1 << 20) == 0 && sb.len == strlen(text)
	&& memcmp(sb.s, text, sb.len) == 0;
    sb_free(&sb);
    return (same);
}

/* temps_in - how many temporary files cf_replace left in a directory */

static int temps_in(const char *dir)
{
    DIR    *dp = opendir(dir);
    struct dirent *de;
    int     n = 0;

    if (dp == 0)
	return (-1);
    while ((de = readdir(dp)) != 0)
	if (strstr(de->d_name, ".postmulti.") != 0)
	    n++;
    closedir(dp);
    return (n);
}

/* says - does err start with a prefix and mention a text, on one line? */

static int says(const char *err, const char *prefix, const char *text)
{
    return (err != 0 && strncmp(err, prefix, strlen(prefix)) == 0
	    && strstr(err, text) != 0 && strchr(err, '\n') == 0);
}

/* alike - cf_check()'s refusal is cf_replace()'s, but for the temporary
 * file's random letters, which cf_check() gives as the template */

static int alike(const char *check, const char *replace)
{
    const char *x = check ? strstr(check, "XXXXXX") : 0;
    size_t  pre;

    if (check == 0 || replace == 0 || strlen(check) != strlen(replace)) {
	printf("#   check:   %s\n#   replace: %s\n", check ? check : "(none)",
	       replace ? replace : "(none)");
	return (0);
    }
    pre = x ? (size_t) (x - check) : strlen(check);
    if (strncmp(check, replace, pre) != 0
	|| (x && strcmp(x + 6, replace + pre + 6) != 0)) {
	printf("#   check:   %s\n#   replace: %s\n", check, replace);
	return (0);
    }
    return (1);
}

/* report_err - show an unexpected error message */

static void report_err(const char *err)
{
    if (err)
	printf("#   err: %s\n", err);
    fflush(stdout);			/* children leave with _exit() */
}

/* child_status - wait for a child and return its exit status, or -1 */

static int child_status(pid_t pid)
{
    int     status;

    if (pid < 0 || waitpid(pid, &status, 0) != pid)
	return (-1);
    if (!WIFEXITED(status)) {
	printf("#   child killed by signal %d\n", WTERMSIG(status));
	return (-1);
    }
    return (WEXITSTATUS(status));
}

/* test_replace - contents, mode and owner of a replaced file */

static void test_replace(void)
{
    const char *f = path_in("main.cf");
    struct stat before;
    struct stat after;
    char   *err = 0;
    int     root = geteuid() == 0;

    put(f, "old\n", 0640);
    if (root && chown(f, 1234, 5678) < 0)
	perror("chown");
    stat(f, &before);
    TAP_OK(cf_replace(f, "new\n", 4, &err) == 0, "replace an existing file");
    report_err(err);
    stat(f, &after);
    TAP_OK(has_text(f, "new\n"), "the file has the new contents");
    TAP_OK((after.st_mode & 07777) == 0640, "the mode stays 0640");
    if (root)
	TAP_OK(after.st_uid == 1234 && after.st_gid == 5678,
	       "the owner and group stay 1234:5678");
    else
	TAP_OK(1, "the owner and group stay # skip not root");
    TAP_OK(after.st_ino != before.st_ino, "the file was renamed into place");
    TAP_OK(temps_in(top) == 0, "no temporary file is left");

    /* Changing the owner clears set-id bits, so the mode must come last. */
    put(f, "old\n", 04751);
    if (root && chown(f, 1234, 5678) == 0 && chmod(f, 04751) == 0) {
	TAP_OK(cf_replace(f, "x", 1, &err) == 0, "replace a set-uid file");
	report_err(err);
	stat(f, &after);
	TAP_OK((after.st_mode & 07777) == 04751 && after.st_uid == 1234,
	       "the set-uid mode survives the change of owner");
    } else {
	TAP_OK(1, "set-uid mode survives # skip not root");
    }

    TAP_OK(cf_replace(f, "", 0, &err) == 0 && has_text(f, ""),
	   "replace with nothing gives an empty file");
    report_err(err);
    unlink(f);
}

/* test_new_file - replacing a file that does not exist creates it */

static void test_new_file(void)
{
    const char *f = path_in("new.cf");
    struct stat st;
    char   *err = 0;
    mode_t  old_mask = umask(077);

    TAP_OK(cf_replace(f, "a = 1\n", 6, &err) == 0, "create a missing file");
    report_err(err);
    umask(old_mask);
    TAP_OK(has_text(f, "a = 1\n"), "the new file has the contents");
    TAP_OK(stat(f, &st) == 0 && (st.st_mode & 07777) == 0644,
	   "the new file has mode 0644 whatever the umask");
    TAP_OK(st.st_uid == geteuid() && st.st_gid == getegid(),
	   "the new file belongs to the caller");
    unlink(f);
}

/* test_relative - a bare file name means the current directory */

static void test_relative(void)
{
    int     here = open(".", O_RDONLY | O_DIRECTORY);
    char   *err = 0;

    put(path_in("rel.cf"), "old\n", 0600);
    if (here < 0 || chdir(top) < 0) {
	TAP_OK(0, "chdir to the test directory");
	return;
    }
    TAP_OK(cf_replace("rel.cf", "new\n", 4, &err) == 0,
	   "replace a file named relative to the current directory");
    report_err(err);
    if (fchdir(here) < 0)
	perror("fchdir");
    close(here);
    TAP_OK(has_text(path_in("rel.cf"), "new\n") && temps_in(top) == 0,
	   "the relative file was replaced, no temporary file left");
    unlink(path_in("rel.cf"));
}

/* test_symlink - replacing through a symbolic link keeps the link */

static void test_symlink(void)
{
    const char *real_dir = path_in("real");
    const char *real = path_in("real/main.cf");
    const char *link = path_in("link.cf");
    char    target[256];
    ssize_t n;
    struct stat st;
    char   *err = 0, *check = 0;

    mkdir(real_dir, 0755);
    put(real, "old\n", 0600);
    if (symlink("real/main.cf", link) < 0)
	perror("symlink");
    TAP_OK(cf_check(link, &err) == 0 && err == 0, "check: a symlink to a file may be replaced");
    TAP_OK(cf_replace(link, "new\n", 4, &err) == 0, "replace through a symlink");
    report_err(err);
    n = readlink(link, target, sizeof(target) - 1);
    TAP_OK(n == 12 && memcmp(target, "real/main.cf", 12) == 0,
	   "the symlink is still there, pointing at the same name");
    TAP_OK(has_text(real, "new\n"), "the link target has the new contents");
    TAP_OK(stat(real, &st) == 0 && (st.st_mode & 07777) == 0600,
	   "the link target keeps its mode");
    TAP_OK(temps_in(top) == 0 && temps_in(real_dir) == 0,
	   "no temporary file is left next to the link or the target");
    unlink(link);

    if (symlink("nowhere", link) < 0)
	perror("symlink");
    TAP_OK(cf_replace(link, "x", 1, &err) < 0
	   && says(err, "resolve ", "No such file or directory"),
	   "a symlink to nowhere is an error");
    report_err(err);
    TAP_OK(cf_check(link, &check) < 0 && alike(check, err),
	   "check: a symlink to nowhere, as replace says");
    free(check);
    free(err);
    err = 0;
    unlink(link);

    TAP_OK(cf_replace(real_dir, "x", 1, &err) < 0
	   && says(err, "replace ", "not a regular file"),
	   "a directory is not replaced");
    report_err(err);
    TAP_OK(cf_check(real_dir, &check) < 0 && alike(check, err),
	   "check: a directory, as replace says");
    free(check);
    free(err);
    unlink(real);
    rmdir(real_dir);
}

/* unprivileged - become nobody, for a child process */

static int unprivileged(void)
{
    return (setgroups(0, 0) == 0 && setgid(NOBODY) == 0 && setuid(NOBODY) == 0);
}

/* test_denied - failures that an unprivileged user runs into */

static void test_denied(void)
{
    const char *ro = path_in("ro");
    const char *rw = path_in("rw");
    char   *ro_file = xasprintf("%s/main.cf", ro);
    char   *rw_file = xasprintf("%s/main.cf", rw);
    pid_t   pid;

    if (geteuid() != 0) {
	TAP_OK(1, "unwritable directory and foreign owner # skip not root");
	free(ro_file);
	free(rw_file);
	return;
    }
    mkdir(ro, 0755);
    mkdir(rw, 01777);
    chmod(rw, 01777);
    put(ro_file, "old\n", 0644);
    put(rw_file, "old\n", 0644);

    fflush(stdout);
    if ((pid = fork()) == 0) {
	char   *err = 0, *check = 0;

	tap_failed = 0;			/* the child reports its own checks */
	if (!unprivileged())
	    TAP_OK(0, "become nobody: %s", strerror(errno));
	TAP_OK(cf_replace(ro_file, "new\n", 4, &err) < 0
	       && says(err, "create ", "Permission denied"),
	       "an unwritable directory is an error");
	report_err(err);
	TAP_OK(cf_check(ro_file, &check) < 0 && alike(check, err),
	       "check: an unwritable directory, as replace says");
	free(check);
	check = 0;
	free(err);
	err = 0;

	/* The temporary file exists by the time the owner is set. */
	TAP_OK(cf_replace(rw_file, "new\n", 4, &err) < 0
	       && says(err, "chown ", "Operation not permitted"),
	       "a file that nobody may give back to its owner is an error");
	report_err(err);
	TAP_OK(cf_check(rw_file, &check) < 0 && alike(check, err),
	       "check: a file that nobody may give back to its owner, as replace says");
	free(check);
	free(err);
	free(ro_file);
	free(rw_file);
	_exit(tap_failed != 0);
    }
    TAP_OK(child_status(pid) == 0, "unprivileged checks passed");
    TAP_OK(has_text(ro_file, "old\n") && has_text(rw_file, "old\n"),
	   "the files are untouched after the failures");
    TAP_OK(temps_in(ro) == 0 && temps_in(rw) == 0, "no temporary file is left");
    unlink(ro_file);
    unlink(rw_file);
    rmdir(ro);
    rmdir(rw);
    free(ro_file);
    free(rw_file);
}

/* test_too_big - a write error leaves the old file */

static void test_too_big(void)
{
    const char *f = path_in("big.cf");
    static char data[4096];
    pid_t   pid;

    put(f, "old\n", 0644);
    memset(data, 'x', sizeof(data));
    fflush(stdout);
    if ((pid = fork()) == 0) {
	struct rlimit rl = {100, 100};
	char   *err = 0;

	struct rlimit old;
	int     failed_well;

	tap_failed = 0;			/* the child reports its own checks */
	/* A file size limit makes write() fail with EFBIG. */
	signal(SIGXFSZ, SIG_IGN);
	if (getrlimit(RLIMIT_FSIZE, &old) < 0)
	    _exit(3);
	rl.rlim_max = old.rlim_max;
	if (setrlimit(RLIMIT_FSIZE, &rl) < 0)
	    _exit(3);
	failed_well = cf_replace(f, data, sizeof(data), &err) < 0
	    && says(err, "write ", "File too large")
	    && strstr(err, "/.big.cf.postmulti.") != 0;
	/* The limit lifted again, or the report itself could not be written. */
	if (setrlimit(RLIMIT_FSIZE, &old) < 0)
	    _exit(3);
	TAP_OK(failed_well, "a failed write is an error naming the temporary file");
	report_err(err);
	free(err);
	_exit(tap_failed != 0);
    }
    TAP_OK(child_status(pid) == 0, "write failure checks passed");
    TAP_OK(has_text(f, "old\n"), "the file is untouched after a failed write");
    TAP_OK(temps_in(top) == 0, "no temporary file is left");
    unlink(f);
}

/* fill - use up a file system, so that the next write fails */

static void fill(const char *path)
{
    static char block[4096];
    int     fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

    while (fd >= 0 && write(fd, block, sizeof(block)) > 0)
	 /* void */ ;
    if (fd >= 0)
	close(fd);
}

/* test_full_fs - a full or read-only file system leaves the old file */

static void test_full_fs(void)
{
    const char *mnt = path_in("mnt");
    char   *f = xasprintf("%s/main.cf", mnt);
    char   *filler = xasprintf("%s/filler", mnt);
    static char data[16384];
    pid_t   pid;

    mkdir(mnt, 0755);
    memset(data, 'y', sizeof(data));
    fflush(stdout);
    if ((pid = fork()) == 0) {
	char   *err = 0, *check = 0;

	tap_failed = 0;			/* the child reports its own checks */
	/* A private mount namespace: the tmpfs vanishes with the child. */
	if (unshare(CLONE_NEWNS) < 0
	    || mount("none", "/", "none", MS_REC | MS_PRIVATE, 0) < 0
	    || mount("tmpfs", mnt, "tmpfs", 0, "size=64k,mode=0755") < 0) {
	    free(f);
	    free(filler);
	    _exit(3);
	}
	put(f, "old\n", 0644);
	fill(filler);
	TAP_OK(cf_replace(f, data, sizeof(data), &err) < 0
	       && says(err, "write ", "No space left on device"),
	       "a full file system is an error");
	report_err(err);
	free(err);
	err = 0;
	TAP_OK(has_text(f, "old\n") && temps_in(mnt) == 0,
	       "the file is untouched and no temporary file is left");

	unlink(filler);
	if (mount("none", mnt, "none", MS_REMOUNT | MS_RDONLY, 0) < 0)
	    TAP_OK(0, "remount the tmpfs read-only: %s", strerror(errno));
	TAP_OK(cf_replace(f, "new\n", 4, &err) < 0
	       && says(err, "create ", "Read-only file system"),
	       "a read-only file system is an error");
	report_err(err);
	TAP_OK(cf_check(f, &check) < 0 && alike(check, err),
	       "check: a read-only file system, as replace says");
	free(check);
	free(err);
	TAP_OK(has_text(f, "old\n"), "the file on it is untouched");
	free(f);
	free(filler);
	_exit(tap_failed != 0);
    }
    switch (child_status(pid)) {
    case 0:
	TAP_OK(1, "full and read-only file system checks passed");
	break;
    case 3:
	TAP_OK(1, "full file system # skip cannot mount a tmpfs here");
	break;
    default:
	TAP_OK(0, "full and read-only file system checks passed");
	break;
    }
    rmdir(mnt);
    free(f);
    free(filler);
}

/* try_lock - can a new open of the directory be locked without waiting? */

static int try_lock(const char *dir)
{
    pid_t   pid;

    fflush(stdout);
    if ((pid = fork()) == 0) {
	int     fd = open(dir, O_RDONLY | O_DIRECTORY);

	if (fd < 0)
	    _exit(2);
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
	    _exit(0);
	_exit(errno == EWOULDBLOCK ? 1 : 2);
    }
    return (child_status(pid));
}

/* on_alarm - only interrupts */

static void on_alarm(int sig)
{
    (void) sig;
}

/* test_lock - the configuration lock excludes other lockers */

static void test_lock(void)
{
    char   *err = 0;
    char   *want;
    int     fd;
    int     ready[2];
    pid_t   pid;
    struct timespec t0;
    struct timespec t1;
    struct sigaction sa;
    struct itimerval tick = {{0, 50000}, {0, 50000}};
    struct itimerval off = {{0, 0}, {0, 0}};
    char    c;

    fd = cf_lock(top, &err);
    TAP_OK(fd >= 0, "lock the configuration directory");
    report_err(err);
    TAP_OK(try_lock(top) == 1, "a second locker gets EWOULDBLOCK");
    cf_unlock(fd);
    TAP_OK(try_lock(top) == 0, "after unlock a second locker gets the lock");
    TAP_OK(temps_in(top) == 0 && access(path_in(".lock"), F_OK) < 0,
	   "locking creates no file");

    /* A waiting cf_lock survives signals and gets the lock when freed. */
    if (pipe(ready) < 0)
	perror("pipe");
    fflush(stdout);
    if ((pid = fork()) == 0) {
	int     cfd = open(top, O_RDONLY | O_DIRECTORY);

	close(ready[0]);
	if (cfd < 0 || flock(cfd, LOCK_EX) < 0)
	    _exit(2);
	if (write(ready[1], "x", 1) != 1)
	    _exit(2);
	usleep(300000);
	_exit(0);
    }
    close(ready[1]);
    if (read(ready[0], &c, 1) != 1)
	perror("read");
    close(ready[0]);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, 0);			/* no SA_RESTART: EINTR */
    setitimer(ITIMER_REAL, &tick, 0);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    fd = cf_lock(top, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    setitimer(ITIMER_REAL, &off, 0);
    signal(SIGALRM, SIG_DFL);
    TAP_OK(fd >= 0, "a blocked cf_lock gets the lock in the end, signals or not");
    report_err(err);
    TAP_OK((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 >= 200,
	   "cf_lock waited for the other holder");
    cf_unlock(fd);
    TAP_OK(child_status(pid) == 0, "the other holder ran");

    want = xasprintf("lock %s: No such file or directory", path_in("missing"));
    TAP_OK(cf_lock(path_in("missing"), &err) < 0 && err != 0
	   && strcmp(err, want) == 0, "locking a missing directory is an error");
    report_err(err);
    free(err);
    free(want);
}

/* cleanup_one - remove one entry of the test tree */

static int cleanup_one(const char *path, const struct stat *st, int flag,
		               struct FTW *ftw)
{
    (void) st;
    (void) flag;
    (void) ftw;
    return (remove(path));
}

int     main(void)
{
    /* Open to all, for the checks that run as nobody. */
    if (mkdtemp(top) == 0 || chmod(top, 0755) < 0) {
	perror(top);
	return (1);
    }
    test_replace();
    test_new_file();
    test_relative();
    test_symlink();
    test_denied();
    test_too_big();
    test_full_fs();
    test_lock();
    nftw(top, cleanup_one, 16, FTW_DEPTH | FTW_PHYS);
    return (tap_done());
}
