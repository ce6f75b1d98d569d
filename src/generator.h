/*
 * NAME
 *	generator 3h
 * SUMMARY
 *	systemd generator: one postfix@.service per enabled instance
 * SYNOPSIS
 *	#include "generator.h"
 */
#ifndef GENERATOR_H
#define GENERATOR_H

#define GENERATOR_NAME		"postfix-instance-generator"
#define GENERATOR_TEMPLATE	"/lib/systemd/system/postfix@.service"
#define GENERATOR_WANTS		"postfix.service.wants"

int     generator_main(int, char **);

#endif
