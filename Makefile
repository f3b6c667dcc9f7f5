# The two commands of the README:
#   make run   install what is missing, configure, build, run the main job (aesvp run)
#   make test  the same set-up, then the whole test suite
#   make bench the same set-up, then the host-cost benchmark (docs/performance.md)
#   make sanitize-tsan  ThreadSanitizer over the SystemC-free suites (build-tsan); CI runs it
#              after make test
#   make study-bulk  the bulk-mode study: every sweep of studies/bulk/specs, then the tables
#              and figures of docs/bulk-mode.md (STUDY_SCALE=S scales the job sizes)
#   make sanitize-asan  AddressSanitizer + UBSan over the quick label (build-asan, only the
#              targets the label needs); CI runs it after sanitize-tsan (docs/regression.md)
# Works on a fresh Debian 12 machine as root (or with sudo).

BUILD ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?= -DCMAKE_BUILD_TYPE=Release

# Debian packages the build and the tests need (docs/dependencies.md says why each).
PACKAGES := cmake make g++ pkg-config libsystemc-dev libssl-dev libgtest-dev libgmock-dev \
            libboost-program-options-dev nlohmann-json3-dev python3-matplotlib \
            slurmd slurmctld slurm-client munge

.PHONY: run test bench study-bulk sanitize-asan sanitize-tsan deps configure build clean

run: build
	$(BUILD)/bin/aesvp run

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

bench: build
	$(BUILD)/bin/aesvp bench

study-bulk: build
	/usr/bin/python3 studies/bulk/regenerate --aesvp $(BUILD)/bin/aesvp --out $(BUILD)/study-bulk

# A sanitizer finding exits 86 (not 1 or 2, which tests expect of refused or failed runs),
# UBSan included (the preset also builds with -fno-sanitize-recover=undefined).
SANITIZER_ENV := ASAN_OPTIONS=exitcode=86:detect_leaks=1 \
                 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=86

# Runs that end by an exception thrown on a SystemC coroutine stack: ASan cannot follow the
# stack switch (google/sanitizers#189) and reports false positives after it
# (docs/regression.md).
ASAN_UNTRACKABLE := ^(Waveform\.WindowEndStopsTheRunWhenAsked|waveform_cli_test|bad_input_crypt_out_full_fs|bad_input_run_disk_full_fs)$$

sanitize-asan: deps
	cmake --preset asan
	cmake --build build-asan -j $(JOBS) --target quick_label_targets
	cd build-asan && $(SANITIZER_ENV) ctest -L quick -E '$(ASAN_UNTRACKABLE)' -j $(JOBS) --output-on-failure

sanitize-tsan: deps
	cmake --preset tsan
	cmake --build build-tsan -j $(JOBS)
	cd build-tsan && ctest -j $(JOBS) --output-on-failure

deps:
	@missing=""; \
	for p in $(PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

configure: deps
	cmake -S . -B $(BUILD) $(CMAKE_FLAGS)

build: configure
	cmake --build $(BUILD) -j $(JOBS)

clean:
	rm -rf $(BUILD) build-asan build-tsan
