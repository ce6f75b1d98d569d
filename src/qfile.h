/*
 * NAME
 *	qfile 3h
 * SUMMARY
 *	read a Postfix queue file's records
 * SYNOPSIS
 *	#include "qfile.h"
 */
#ifndef QFILE_H
#define QFILE_H

#include <stddef.h>
#include <sys/stat.h>

 /*
  * What postqueue -j reports of a message that the monitoring needs.
  */
struct qfile_info {
    long long arrival_time;		/* seconds since the epoch */
    long long message_size;		/* bytes, as postqueue reports it */
};

 /*
  * One record: its type byte and its data (not NUL-terminated; data
  * points into the reader's buffer, valid until the next call).
  */
struct qfile_rec {
    int     type;
    const char *data;
    size_t  len;
};

typedef struct QFILE QFILE;

 /*
  * Record reader over an open file or over memory (for the fuzz target),
  * with a limit on the length of one record.
  */
QFILE  *qfile_open_fd(int, size_t);
QFILE  *qfile_open_mem(const void *, size_t, size_t);
int     qfile_next(QFILE *, struct qfile_rec *);	/* 1, 0 at end, -1 damaged */
const char *qfile_why(QFILE *);		/* why qfile_next() said -1 */
void    qfile_close(QFILE *);		/* does not close the fd */

 /*
  * The leading records of a queue file: arrival time and size, as showq
  * reports them; st is the file's fstat() (its size and mtime are the
  * fallbacks showq uses). 0, or -1 with *why set to static text.
  */
int     qfile_info_fd(int, const struct stat *, struct qfile_info *, const char **);
int     qfile_info_mem(const void *, size_t, const struct stat *, struct qfile_info *, const char **);


 /*
  * The envelope as showq reads it (queue work): after the arrival time
  * and size, the sender record's data, then each recipient record's
  * ('R'; not the done ones), in file order; data up to its length (the
  * consumer stops at a NUL, as showq does).
  */
struct qfile_env {
    void    (*sender) (void *, const char *, size_t);
    void    (*recipient) (void *, const char *, size_t);
    void   *ctx;
};

int     qfile_envelope_fd(int, const struct stat *, struct qfile_info *,
			          const struct qfile_env *, const char **);
int     qfile_envelope_mem(const void *, size_t, const struct stat *, struct qfile_info *,
			           const struct qfile_env *, const char **);

#endif
