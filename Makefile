# query_ml: a PGXS extension whose logic lives in the query_ml Python package.
#
#   make install   prepares this machine (as root on Debian: OS packages too)
#   make test      installs, then runs every test against a throwaway server
#   make demo      installs, then tells the whole story on a throwaway server
#   make demo-fleet  installs, then shows a fleet: three throwaway clusters, learning shared by replication
#   make bench     installs, then runs the benchmark suite (bench/suite.py) at 10k, 100k and 1M rows
#   make stress    installs, then runs every concurrent write path for STRESS_SECONDS (default 180)
EXTENSION   = query_ml
EXTVERSION  = $(shell sed -n "s/^default_version *= *'\([^']*\)'.*/\1/p" $(EXTENSION).control)
PG_MAJOR   ?= 15
PG_CONFIG  ?= $(firstword $(wildcard /usr/lib/postgresql/$(PG_MAJOR)/bin/pg_config) pg_config)
# plpython3u runs Debian's interpreter, so the library is built for that one.
SERVER_PYTHON   ?= /usr/bin/python3
PYTHON_LIB_ROOT ?= /usr/local/lib/query_ml
PGLAST_VERSION   = 8.8
export PG_MAJOR SERVER_PYTHON PGLAST_VERSION

# $(call build_sql,ARGS): its output; a failure stops make, its message shown (a hidden
# one would install an extension without its update scripts).
build_sql  = $(shell $(SERVER_PYTHON) scripts/build_sql.py $(1))$(if $(filter-out 0,$(.SHELLSTATUS)),$(error \
	query_ml: '$(SERVER_PYTHON) scripts/build_sql.py $(1)' failed (exit status $(.SHELLSTATUS)); see above))
UPDATES    = $(call build_sql,--list-updates)
# Install scripts of earlier releases, kept as they shipped in migrations/released/.
RELEASED   = $(call build_sql,--list-released)
DATA_built = $(foreach v,$(EXTVERSION) $(UPDATES) $(RELEASED),build/$(EXTENSION)--$(v).sql)
REGRESS      = $(basename $(notdir $(wildcard tests/regress/sql/*.sql)))
REGRESS_OPTS = --inputdir=tests/regress --outputdir=build/regress
EXTRA_CLEAN  = build/regress

SQL_SOURCES = $(EXTENSION).control scripts/build_sql.py $(shell find migrations sql -name '*.sql' -o -type d 2>/dev/null)

PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifeq ($(PGXS),)
# No PostgreSQL yet: install the OS packages, then start again with PGXS.
install: os-deps
	$(MAKE) install
else
include $(PGXS)
install: os-deps install-python
endif

build/$(EXTENSION)--%.sql: $(SQL_SOURCES)
	$(SERVER_PYTHON) scripts/build_sql.py --target $* --lib-dir $(PYTHON_LIB_ROOT) --out $@

.PHONY: os-deps install-python test demo demo-fleet bench stress
os-deps:
	scripts/os-deps.sh

# Every version that can be created brings its own package: released ones from the git history.
install-python:
	scripts/install-python-lib.sh '$(DESTDIR)$(PYTHON_LIB_ROOT)/$(EXTVERSION)'
	for v in $(RELEASED); do scripts/install-python-lib.sh "$(DESTDIR)$(PYTHON_LIB_ROOT)/$$v" "$$v" || exit 1; done

test: install
	scripts/run-tests.sh $(PYTEST_ARGS)

# demo.sh installs first, with its output in a log, so that the demo's own output stays readable.
demo:
	@scripts/demo.sh

demo-fleet:
	@scripts/demo-fleet.sh

bench: install
	scripts/run-bench.sh $(BENCH_ARGS)

stress: install
	scripts/run-stress.sh
