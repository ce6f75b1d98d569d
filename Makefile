# postmulti - Postfix multi-instance manager
#
#   make                build ./postmulti
#   make check          install test dependencies, run every test
#   make check-quick    the fast slice to run after each change
#   make demo           a throwaway sandbox with a few instances
#   make bench          compare with Debian's postmulti (see bench/)
#   make install        PREFIX=/usr/local DESTDIR= (GENERATORDIR: see docs/SYSTEMD.md;
#                       GENERATORDIR= installs no generator; SYSTEMDUNITDIR=DIR
#                       installs postmulti-metrics.service and .timer there,
#                       not enabled: see docs/MONITORING.md)
#   make uninstall      removes what make install wrote (same variables)
#
# Compiled-in defaults come from the installed Postfix ("postconf -d");
# override any of them here, e.g. make config_directory=/opt/postfix/etc

CC      ?= cc
CFLAGS  ?= -O2 -g
CPPFLAGS ?=
LDFLAGS ?=
STD      = -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	   -Wconversion -Wsign-conversion
# Warnings are errors in the test builds (make check, check-quick) and with
# "make WERROR=-Werror"; not in a plain or Debian build, where a newer
# compiler's new warning must not stop an administrator's build.
WERROR  ?=
DEVWARN  = -Werror
PREFIX  ?= /usr/local
DESTDIR ?=
SBINDIR ?= $(PREFIX)/sbin
MANDIR  ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
GENERATORDIR ?= $(PREFIX)/lib/systemd/system-generators
# Empty: no units (the default). The units run $(SBINDIR)/postmulti.
SYSTEMDUNITDIR ?=
UNITS    = postmulti-metrics.service postmulti-metrics.timer

SANFLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all -DPOSTMULTI_FAULTS
VGFLAGS  = -O0 -g -DPOSTMULTI_FAULTS
# The sanitizer runtimes linked in, not loaded at each start: the suite
# starts the test binaries tens of thousands of times, and the dynamic
# runtime's loading and relocation was a quarter of each start's CPU time
# (GCC's options; another compiler: SANLINK= or its own).
ifeq ($(origin SANLINK),undefined)
SANLINK := $(if $(findstring clang,$(shell $(CC) --version 2>/dev/null | head -n 1)),,-static-libasan -static-libubsan)
endif

# Modules shared by the program, the unit tests and the fuzz targets.
LIB_SRC  = util msg defaults hostinfo llines ptab maincf expand relop instance command master queue qfile generator iterate diff edit cfwrite fault sweep plan lifecycle registry create assign remove mastercf listener lint monitor qtext qwork qshape
PROG_SRC = $(LIB_SRC) main
UNIT     = $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_*.c))
TOOLS    = maincf_probe edit_probe mastercf_probe

# Parameters whose compiled-in default may be overridden on the command line.
OVERRIDABLE = config_directory command_directory daemon_directory meta_directory \
	shlib_directory queue_directory data_directory mail_owner setgid_group \
	sendmail_path mailq_path newaliases_path html_directory manpage_directory \
	sample_directory readme_directory syslog_name syslog_facility import_environment
OVERRIDES = $(foreach p,$(OVERRIDABLE),$(if $(filter command line,$(origin $(p))),$(p)=$($(p))))

HDRS = $(wildcard src/*.h) build/gen/defaults.inc

all: postmulti

build/gen/defaults.inc: tools/gendefaults.sh tools/upstream-defaults FORCE
	@mkdir -p build/gen
	@tools/gendefaults.sh $@.new $(OVERRIDES)
	@if cmp -s $@.new $@; then rm -f $@.new; else mv $@.new $@; fi

build/rel/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(STD) $(WERROR) $(CPPFLAGS) $(CFLAGS) -Ibuild/gen -c -o $@ $<
build/asan/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(STD) $(DEVWARN) $(SANFLAGS) -Ibuild/gen -c -o $@ $<
build/vg/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(STD) $(DEVWARN) $(VGFLAGS) -Ibuild/gen -c -o $@ $<

postmulti: $(patsubst %,build/rel/%.o,$(PROG_SRC))
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

# Test builds: the program and the unit tests with ASan+UBSan, and the
# unit tests once more without sanitizers, for valgrind.
build/asan/postmulti: $(patsubst %,build/asan/%.o,$(PROG_SRC))
	$(CC) $(SANFLAGS) $(SANLINK) -o $@ $^
build/asan/test_%: tests/unit/test_%.c tests/unit/tap.h $(patsubst %,build/asan/%.o,$(LIB_SRC))
	$(CC) $(STD) $(DEVWARN) $(SANFLAGS) $(SANLINK) -Isrc -Ibuild/gen -o $@ $< $(patsubst %,build/asan/%.o,$(LIB_SRC))
build/vg/test_%: tests/unit/test_%.c tests/unit/tap.h $(patsubst %,build/vg/%.o,$(LIB_SRC))
	$(CC) $(STD) $(DEVWARN) $(VGFLAGS) -Isrc -Ibuild/gen -o $@ $< $(patsubst %,build/vg/%.o,$(LIB_SRC))
build/asan/%: tests/tools/%.c $(patsubst %,build/asan/%.o,$(LIB_SRC))
	$(CC) $(STD) $(DEVWARN) $(SANFLAGS) $(SANLINK) -Isrc -Ibuild/gen -o $@ $< $(patsubst %,build/asan/%.o,$(LIB_SRC))

test-build: build/asan/postmulti $(patsubst %,build/asan/%,$(UNIT) $(TOOLS)) $(patsubst %,build/vg/%,$(UNIT)) postmulti

# The whole suite; check-quick is the loop to run after each change: the
# unit tests (ASan+UBSan, not valgrind), the main.cf and master.cf reader
# comparisons (fewer random files; no made-up hosts) and a slice of the
# scenarios (TEST_QUICK). tests/run runs TEST_JOBS parts at a time.
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
TEST_QUICK  = iterator.sh lifecycle.sh errors.sh status.sh lint.sh
check: test-deps
	$(MAKE) -j$(JOBS) WERROR=-Werror test-build
	tests/run

check-quick: test-deps
	$(MAKE) -j$(JOBS) WERROR=-Werror test-build
	TEST_QUICK="$(TEST_QUICK)" MAINCF_RANDOM=10 MAINCF_HOSTS=0 MAINCF_POSTMULTI=0 \
	MASTERCF_RANDOM=10 tests/run -q

test-deps:
	tools/install-deps test

demo:
	tools/install-deps demo
	$(MAKE) postmulti
	tools/demo

bench:
	tools/install-deps bench
	$(MAKE) postmulti
	bench/run

# Fuzzing with libFuzzer (clang): each target runs FUZZ_SECONDS on a
# working corpus in build/fuzz/corpus/ seeded from fuzz/corpus/ and the
# installed stock main.cf files; a crash stops it with the input in
# build/fuzz/ (see fuzz/README).
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZFLAGS    = -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZ_LIB     = util msg defaults hostinfo llines ptab maincf expand relop edit mastercf qfile qtext
FUZZ         = maincf edit mastercf qfile
FUZZ_STOCK   = /etc/postfix/main.cf.proto /usr/share/postfix/main.cf.dist \
	/usr/share/postfix/main.cf.debian /usr/share/postfix/main.cf.tls \
	/etc/postfix/master.cf.proto /usr/share/postfix/master.cf.dist

build/fuzz/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(STD) $(FUZZFLAGS) -Ibuild/gen -c -o $@ $<
build/fuzz/fuzz_%: fuzz/fuzz_%.c $(patsubst %,build/fuzz/%.o,$(FUZZ_LIB))
	$(FUZZ_CC) $(STD) $(FUZZFLAGS) -fsanitize=fuzzer -Isrc -Ibuild/gen -o $@ $^

fuzz:
	tools/install-deps fuzz
	$(MAKE) $(patsubst %,build/fuzz/fuzz_%,$(FUZZ))
	set -e; for t in $(FUZZ); do \
		mkdir -p build/fuzz/corpus/$$t; \
		for f in $(wildcard $(FUZZ_STOCK)); do cp $$f build/fuzz/corpus/$$t/stock-$${f##*/}; done; \
		build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
			-dict=fuzz/$$t.dict -artifact_prefix=build/fuzz/$$t- \
			build/fuzz/corpus/$$t fuzz/corpus/$$t; \
	done

install: postmulti
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR)
	install -m 0755 postmulti $(DESTDIR)$(SBINDIR)/postmulti
	install -m 0644 man/postmulti.1 $(DESTDIR)$(MANDIR)/man1/postmulti.1
	install -m 0644 contrib/bash-completion $(DESTDIR)$(BASHCOMPDIR)/postmulti
	if [ -n "$(GENERATORDIR)" ]; then \
		install -d $(DESTDIR)$(GENERATORDIR) && \
		ln -sf $(SBINDIR)/postmulti $(DESTDIR)$(GENERATORDIR)/postfix-instance-generator; \
	fi
	if [ -n "$(SYSTEMDUNITDIR)" ]; then \
		install -d $(DESTDIR)$(SYSTEMDUNITDIR) && \
		for u in $(UNITS); do \
			sed 's|/usr/sbin/postmulti |$(SBINDIR)/postmulti |' contrib/systemd/$$u >$(DESTDIR)$(SYSTEMDUNITDIR)/$$u && \
			chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/$$u || exit 1; \
		done; \
	fi

# What install wrote, and nothing else: the generator link only where it
# is ours (a link to this postmulti).
uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/postmulti $(DESTDIR)$(MANDIR)/man1/postmulti.1 \
		$(DESTDIR)$(BASHCOMPDIR)/postmulti
	if [ -n "$(GENERATORDIR)" ] && [ "$$(readlink $(DESTDIR)$(GENERATORDIR)/postfix-instance-generator)" = "$(SBINDIR)/postmulti" ]; then \
		rm -f $(DESTDIR)$(GENERATORDIR)/postfix-instance-generator; \
	fi
	if [ -n "$(SYSTEMDUNITDIR)" ]; then \
		for u in $(UNITS); do rm -f $(DESTDIR)$(SYSTEMDUNITDIR)/$$u; done; \
	fi

# The Debian package, built from a copy of the tree (dpkg-buildpackage
# cleans the tree it runs in, and writes beside it): build/deb/*.deb
deb:
	tools/install-deps deb
	rm -rf build/deb && mkdir -p build/deb/src/postmulti-ng
	tar -c --exclude=./build --exclude=./.git --exclude=./postmulti --exclude=./bench/results . | \
		tar -x -C build/deb/src/postmulti-ng
	cd build/deb/src/postmulti-ng && dpkg-buildpackage -us -uc -b
	cp build/deb/src/*.deb build/deb/

clean:
	rm -rf build postmulti

FORCE:
.PHONY: all check check-quick test-deps test-build demo bench fuzz install uninstall deb clean FORCE
.SECONDARY:
