/*
 * NAME
 *	ptyrun 1
 * SUMMARY
 *	run a command with its standard error on a terminal
 * SYNOPSIS
 *	ptyrun stdout-file stderr-file command [argument...]
 * DESCRIPTION
 *	Runs command with standard input and standard error on the slave
 *	side of a new pseudo terminal (its controlling terminal, in a new
 *	session), and standard output into stdout-file. What the command
 *	writes to the terminal is copied, unchanged (raw mode), into
 *	stderr-file. The exit status is the command's, or 128 plus the
 *	number of the signal that killed it.
 *
 *	Debian's postmulti writes its diagnostics to standard error only when
 *	that is a terminal; this is "script -qec" without the shell, the
 *	quoting and the line-ending conversion, and several times faster.
 *
 *	When the command has exited, whatever is still buffered is copied,
 *	and ptyrun ends even when a daemon the command started keeps the
 *	terminal open.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* die - report a failure of ptyrun itself and exit 125 */
static void die(const char *what)
{
    fprintf(stderr, "ptyrun: %s: %s\n", what, strerror(errno));
    exit(125);
}

/* on_child - interrupt ppoll() when the command exits */
static void on_child(int sig)
{
    (void) sig;
}

/* copy - copy what the terminal has to the stderr file: 1 when something
   was copied, -1 when nothing is there yet, 0 when no slave is open */
static int copy(int master, int err)
{
    char    buf[8192];
    ssize_t n;

    n = read(master, buf, sizeof(buf));
    if (n < 0 && errno == EAGAIN)
	return -1;
    if (n <= 0)
	return 0;
    if (write(err, buf, (size_t) n) != n)
	die("write");
    return 1;
}

int     main(int argc, char **argv)
{
    int     master, slave, out, err, status;
    char   *name;
    struct termios tio;
    pid_t   pid;
    struct pollfd pfd;
    struct sigaction sa;
    sigset_t block, wait_mask;

    if (argc < 4) {
	fprintf(stderr, "usage: ptyrun stdout-file stderr-file command [argument...]\n");
	return 125;
    }
    if ((out = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
	die(argv[1]);
    if ((err = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
	die(argv[2]);
    if ((master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0
	|| grantpt(master) < 0 || unlockpt(master) < 0
	|| (name = ptsname(master)) == 0)
	die("pseudo terminal");
    if ((slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
	die(name);
    if (tcgetattr(slave, &tio) < 0)
	die("tcgetattr");
    cfmakeraw(&tio);
    if (tcsetattr(slave, TCSANOW, &tio) < 0)
	die("tcsetattr");
    /* SIGCHLD is blocked but while ppoll() waits: its exit ends the wait */
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_child;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGCHLD, &sa, 0) < 0)
	die("sigaction");
    sigemptyset(&block);
    sigaddset(&block, SIGCHLD);
    if (sigprocmask(SIG_BLOCK, &block, &wait_mask) < 0)
	die("sigprocmask");
    sigdelset(&wait_mask, SIGCHLD);
    if ((pid = fork()) < 0)
	die("fork");
    if (pid == 0) {
	sigprocmask(SIG_UNBLOCK, &block, 0);
	signal(SIGCHLD, SIG_DFL);
	if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0)
	    die("controlling terminal");
	if (dup2(slave, 0) < 0 || dup2(out, 1) < 0 || dup2(slave, 2) < 0)
	    die("dup2");
	execvp(argv[3], argv + 3);
	die(argv[3]);
    }
    close(slave);
    if (fcntl(master, F_SETFL, O_NONBLOCK) < 0)
	die("fcntl");
    pfd.fd = master;
    pfd.events = POLLIN;
    for (;;) {
	if (pfd.fd < 0) {			/* every slave closed */
	    if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	    break;
	}
	if (waitpid(pid, &status, WNOHANG) == pid) {
	    while (copy(master, err) > 0)
		 /* drain */ ;
	    break;
	}
	if (ppoll(&pfd, 1, 0, &wait_mask) > 0 && copy(master, err) == 0)
	    pfd.fd = -1;
    }
    if (WIFSIGNALED(status))
	return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}
