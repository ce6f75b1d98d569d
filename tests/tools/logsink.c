/*
 * NAME
 *	logsink 1
 * SUMMARY
 *	a syslog socket for the tests
 * SYNOPSIS
 *	logsink socket file
 *	logsink -s socket text
 * DESCRIPTION
 *	"logsink socket file" binds a datagram socket at socket, as a
 *	syslog daemon does at /dev/log, and appends every record it
 *	receives to file as one line, byte for byte as the sender wrote
 *	it, except that a newline inside a record is written as "\n" and
 *	a trailing one is dropped. Each line is flushed at once. It runs
 *	until it is killed.
 *
 *	"logsink -s socket text" sends text as one record to socket and
 *	exits. Records from one host arrive in the order they were sent,
 *	so a test that sends a marker after a program has exited knows
 *	that the program's records are all in the file once the marker
 *	is.
 *
 *	A test tool, compiled by tests/scenario/syslog.sh: it uses
 *	nothing from src/.
 */
#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

/* address - the socket address of a path */

static socklen_t address(struct sockaddr_un *sun, const char *path)
{
    memset(sun, 0, sizeof(*sun));
    sun->sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(sun->sun_path))
	errx(2, "%s: path too long", path);
    strcpy(sun->sun_path, path);
    return (sizeof(*sun));
}

/* send_record - logsink -s: one record */

static int send_record(const char *path, const char *text)
{
    struct sockaddr_un sun;
    socklen_t len = address(&sun, path);
    int     fd = socket(AF_UNIX, SOCK_DGRAM, 0);

    if (fd < 0)
	err(2, "socket");
    if (sendto(fd, text, strlen(text), 0, (struct sockaddr *) &sun, len) < 0)
	err(2, "send to %s", path);
    return (0);
}

/* sink - logsink: receive records until killed */

static int sink(const char *path, const char *file)
{
    struct sockaddr_un sun;
    socklen_t len = address(&sun, path);
    int     fd = socket(AF_UNIX, SOCK_DGRAM, 0);
    FILE   *out = fopen(file, "a");
    char    buf[65536];
    ssize_t n;

    if (out == 0)
	err(2, "open %s", file);
    if (fd < 0)
	err(2, "socket");
    unlink(path);
    if (bind(fd, (struct sockaddr *) &sun, len) < 0)
	err(2, "bind %s", path);
    for (;;) {
	if ((n = recv(fd, buf, sizeof(buf), 0)) < 0)
	    err(2, "receive on %s", path);
	if (n > 0 && buf[n - 1] == '\n')
	    n--;
	for (ssize_t i = 0; i < n; i++) {
	    if (buf[i] == '\n')
		fputs("\\n", out);
	    else
		putc(buf[i], out);
	}
	putc('\n', out);
	if (fflush(out) != 0)
	    err(2, "write %s", file);
    }
}

int     main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "-s") == 0)
	return (send_record(argv[2], argv[3]));
    if (argc == 3 && argv[1][0] != '-')
	return (sink(argv[1], argv[2]));
    fprintf(stderr, "usage: logsink socket file | logsink -s socket text\n");
    return (2);
}
