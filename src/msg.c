/*
 * NAME
 *	msg 3
 * SUMMARY
 *	diagnostics
 * SYNOPSIS
 *	#include "msg.h"
 *
 *	int	msg_verbose;
 *
 *	void	msg_syslog_init(tag, facility)
 *	const char *tag;
 *	const char *facility;
 *
 *	void	msg_info(format, ...)
 *	void	msg_warn(format, ...)
 *	void	msg_fatal(format, ...)
 *	void	msg_panic(format, ...)
 *
 *	char	*msg_visible(value, max)
 *	const char *value;
 *	size_t	max;
 *
 *	char	*msg_excerpt(text, len, max)
 *	const char *text;
 *	size_t	len;
 *	size_t	max;
 *
 * DESCRIPTION
 *	Every diagnostic is one line "postmulti: [severity: ]text" on
 *	the standard error stream (one write() each), whether or not
 *	that is a terminal,
 *	and, once msg_syslog_init() has named the tag ("postfix" gives
 *	"postfix/postmulti") and the facility (a syslog_facility value
 *	such as "mail"), the same text to syslog. Line breaks and tabs
 *	become spaces, other control bytes \ooo.
 *
 *	msg_fatal() flushes stdio and exits with status 1 (or
 *	msg_fatal_status; it first hands the message text to
 *	msg_fatal_hook when that is set: the monitoring check prints
 *	its UNKNOWN status line there),
 *	without running exit handlers (the leak checker of the test
 *	build would count the memory of an abandoned plan as lost).
 *
 *	msg_visible() is a value as a message should quote it: every
 *	control byte as \ooo (tabs and line breaks too, so that the byte
 *	that got a value refused shows), at most max bytes and then
 *	"..." when the value was cut.
 *
 *	msg_excerpt() is a piece of a configuration file (len bytes at
 *	text) as a message should quote it: every byte outside printable
 *	ASCII as "?" (a UTF-8 character as one "?" per byte), at most max
 *	bytes and then "..." when the text was cut.
 *
 *	Both return memory that the caller may free.
 *
 *	msg_panic() reports a broken invariant, a bug of postmulti rather
 *	than a problem of the world, and aborts (a core dump, the
 *	sanitizers' report in the test build).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "msg.h"
#include "util.h"

int     msg_verbose;

static int syslog_on;

 /*
  * The longest line written: the text after escaping (four bytes for each of
  * 2047 formatted ones), the "postmulti: " prefix, a level, the newline.
  */
#define MSG_RAW_MAX	2048
#define MSG_LINE_MAX	(4 * MSG_RAW_MAX + 64)
static char syslog_tag[128];

 /*
  * syslog_facility names that Postfix accepts.
  */
static const struct facility {
    const char *name;
    int     code;
} facilities[] = {
    {"auth", LOG_AUTH}, {"authpriv", LOG_AUTHPRIV}, {"cron", LOG_CRON},
    {"daemon", LOG_DAEMON}, {"ftp", LOG_FTP}, {"kern", LOG_KERN},
    {"lpr", LOG_LPR}, {"mail", LOG_MAIL}, {"news", LOG_NEWS},
    {"syslog", LOG_SYSLOG}, {"user", LOG_USER}, {"uucp", LOG_UUCP},
    {"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1}, {"local2", LOG_LOCAL2},
    {"local3", LOG_LOCAL3}, {"local4", LOG_LOCAL4}, {"local5", LOG_LOCAL5},
    {"local6", LOG_LOCAL6}, {"local7", LOG_LOCAL7},
};

/* msg_syslog_init - start logging to syslog as TAG/postmulti */

void    msg_syslog_init(const char *tag, const char *facility)
{
    int     code = LOG_MAIL;
    size_t  i;

    for (i = 0; i < sizeof(facilities) / sizeof(facilities[0]); i++)
	if (strcasecmp(facility, facilities[i].name) == 0)
	    break;
    if (i < sizeof(facilities) / sizeof(facilities[0]))
	code = facilities[i].code;
    if (syslog_on)
	closelog();
    snprintf(syslog_tag, sizeof(syslog_tag), "%s/postmulti", tag);
    openlog(syslog_tag, LOG_PID, code);
    syslog_on = 1;
    if (i == sizeof(facilities) / sizeof(facilities[0]))
	msg_warn("unknown syslog_facility \"%s\", using \"mail\"", facility);
}

/* escape - one byte as a message shows it; returns the length, at most 4 */

static int escape(unsigned char c, char *out)
{
    if (c < 0x20 || c == 0x7f)
	return (sprintf(out, "\\%03o", c));
    *out = (char) c;
    return (1);
}

 /*
  * How show() writes a byte that a message should not carry as it is.
  */
enum shown_as {
    SHOWN_ESCAPED,			/* control bytes as \ooo */
    SHOWN_ASCII,			/* all but printable ASCII as "?" */
};

/* show - [text, text + len) for a message, at most max bytes, then "..." */

static char *show(const char *text, size_t len, size_t max, enum shown_as how)
{
    strbuf  out = STRBUF_INIT;
    char    buf[5];
    size_t  i;

    for (i = 0; i < len && out.len < max; i++) {
	if (how == SHOWN_ESCAPED)
	    sb_add(&out, buf, (size_t) escape((unsigned char) text[i], buf));
	else
	    sb_addc(&out, text[i] >= ' ' && text[i] <= '~' ? text[i] : '?');
    }
    if (i < len)
	sb_puts(&out, "...");
    return (sb_take(&out));
}

/* msg_visible - a value for a message: control bytes as \ooo, at most max */

char   *msg_visible(const char *value, size_t max)
{
    /* The byte that got it refused must show, and no escape sequence run. */
    return (show(value, strlen(value), max, SHOWN_ESCAPED));
}

/* msg_excerpt - configuration text for a message: printable ASCII, at most max */

char   *msg_excerpt(const char *text, size_t len, size_t max)
{
    return (show(text, len, max, SHOWN_ASCII));
}

/* msg_span - msg_excerpt() of [start, end), at most MSG_EXCERPT_MAX bytes */

char   *msg_span(const char *start, const char *end)
{
    return (msg_excerpt(start, end > start ? (size_t) (end - start) : 0, MSG_EXCERPT_MAX));
}

/* write_line - "postmulti: LEVELTEXT\n" to stderr in one write() */

static void write_line(const char *level, const char *text)
{
    char    line[MSG_LINE_MAX];
    size_t  len, done = 0;
    ssize_t n;
    int     got;

    /*
     * One system call per line, whatever stdio does (glibc 2.41 writes an
     * unbuffered stream's formatted output in pieces): a reader that takes
     * the first read() gets the whole line, and the lines of processes that
     * share the stream do not interleave. No allocation: this also reports
     * that memory ran out.
     */
    got = snprintf(line, sizeof(line) - 1, "postmulti: %s%s", level, text);
    len = got < 0 ? 0 : (size_t) got < sizeof(line) - 1 ? (size_t) got : sizeof(line) - 2;
    line[len++] = '\n';
    while (done < len) {
	n = write(STDERR_FILENO, line + done, len - done);
	if (n < 0 && errno == EINTR)
	    continue;
	if (n <= 0)
	    break;
	done += (size_t) n;
    }
}

/* vmsg - report one message to stderr and syslog */

static void vmsg(int prio, const char *level, const char *fmt, va_list ap)
{
    char    raw[MSG_RAW_MAX], text[4 * MSG_RAW_MAX], *out = text;

    vsnprintf(raw, sizeof(raw), fmt, ap);
    /* One line per message, and no control byte reaches a terminal. */
    for (const unsigned char *cp = (const unsigned char *) raw; *cp; cp++) {
	if (*cp == '\n' || *cp == '\r' || *cp == '\t')
	    *out++ = ' ';
	else
	    out += escape(*cp, out);
    }
    *out = 0;
    fflush(stdout);
    write_line(level, text);
    if (syslog_on)
	syslog(prio, "%s%s", level, text);
}

/* msg_info - informational message */

void    msg_info(const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    vmsg(LOG_INFO, "", fmt, ap);
    va_end(ap);
}

/* msg_warn - report a problem and carry on */

void    msg_warn(const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    vmsg(LOG_WARNING, "warning: ", fmt, ap);
    va_end(ap);
}

/* msg_fatal - report a problem and exit 1 */

int     msg_fatal_status = 1;
void    (*msg_fatal_hook) (const char *);

void    msg_fatal(const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    if (msg_fatal_hook) {
	char    text[1024];
	va_list ap2;

	va_copy(ap2, ap);
	vsnprintf(text, sizeof(text), fmt, ap2);
	va_end(ap2);
	msg_fatal_hook(text);
    }
    vmsg(LOG_CRIT, "fatal: ", fmt, ap);
    va_end(ap);
    /* What is still allocated at a fatal error is not a leak. */
    fflush(0);
    _exit(msg_fatal_status);
}

/* msg_panic - report a broken invariant and abort */

void    msg_panic(const char *fmt,...)
{
    va_list ap;

    va_start(ap, fmt);
    vmsg(LOG_CRIT, "panic: ", fmt, ap);
    va_end(ap);
    fflush(0);
    abort();
}
