# Thin entry points: the work is done by scripts/*.sh (each sources scripts/common.sh,
# which checks ODOO_PATH first and sets up .venv, PostgreSQL and .local/odoo.conf).
#   make run    Odoo with demo data on http://127.0.0.1:8069 (database qms_demo, admin/admin)
#   make test   install the addons into qms_test and run pytest-odoo (CI: .ci/run)
#   make test-odoo  Odoo's own runner (odoo-bin --test-enable) on a fresh database (CI too)
#   make test-host  Odoo's crm, sale, survey and OCA helpdesk_mgmt tests with our addons (CI too)
#   make bench  benchmarks in tests/bench against qms_bench_base / qms_bench_full (FRESH=1 to rebuild)
#   make lint   ruff + pylint-odoo on the addons and tests/
#   make clean  remove build leftovers and caches (keeps .venv and .local)
.PHONY: run test test-odoo test-host bench lint clean

run:
	@scripts/run.sh

test:
	@scripts/test.sh

test-odoo:
	@scripts/test_odoo.sh

test-host:
	@scripts/test_host.sh

bench:
	@scripts/bench.sh

lint:
	@scripts/lint.sh

clean:
	@scripts/clean.sh
