/*
 * NAME
 *	changed 1
 * SUMMARY
 *	has anything of Postfix's changed since a stamp file
 * SYNOPSIS
 *	changed STAMP TOP... -- ROOT...
 * DESCRIPTION
 *	The differential suite asks after every case (thousands of times)
 *	whether the case changed anything; this answers what
 *
 *	    find TOP... -prune -cnewer STAMP -o ROOT... \( -type f -o
 *	    -type d -o -type l \) -cnewer STAMP
 *
 *	would, at a fraction of find's cost: each TOP directory itself
 *	(/etc, where a config directory appears or goes), and every
 *	regular file, directory and symbolic link at or under each ROOT
 *	(not sockets or FIFOs, which a running master touches), whose
 *	status changed later than STAMP was modified. It prints the first
 *	such path and exits 0, or exits 1 when there is none. A TOP or
 *	ROOT that does not exist is skipped. Exit 2: bad usage, or STAMP
 *	cannot be read.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static struct timespec stamp;

/* later - whether a status change time is later than the stamp */

static int later(const struct stat *st)
{
    return (st->st_ctim.tv_sec > stamp.tv_sec
	    || (st->st_ctim.tv_sec == stamp.tv_sec && st->st_ctim.tv_nsec > stamp.tv_nsec));
}

/* visit - one path under a root; stop the walk at the first change */

static int visit(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void) type;
    (void) ftw;
    if ((S_ISREG(st->st_mode) || S_ISDIR(st->st_mode) || S_ISLNK(st->st_mode)) && later(st)) {
	puts(path);
	return (1);
    }
    return (0);
}

int     main(int argc, char **argv)
{
    struct stat st;
    int     i, roots = 0;

    if (argc < 2 || stat(argv[1], &st) < 0) {
	fprintf(stderr, "usage: changed STAMP TOP... -- ROOT...\n");
	return (2);
    }
    stamp = st.st_mtim;
    for (i = 2; i < argc; i++) {
	if (!roots && strcmp(argv[i], "--") == 0) {
	    roots = 1;
	} else if (!roots) {
	    if (lstat(argv[i], &st) == 0 && later(&st)) {
		puts(argv[i]);
		return (0);
	    }
	} else if (nftw(argv[i], visit, 32, FTW_PHYS) == 1) {
	    return (0);
	}
    }
    return (1);
}
