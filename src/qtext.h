/*
 * NAME
 *	qtext 3h
 * SUMMARY
 *	queue file text as showq shows it
 * SYNOPSIS
 *	#include "qtext.h"
 */
#ifndef QTEXT_H
#define QTEXT_H

#include <stddef.h>
#include "util.h"

void    qtext_display(strbuf *, const char *, size_t, const char *, int);
void    qtext_printable(char *, int);
size_t  qtext_utf8_char(const unsigned char *);

#endif
