# Copied to infra/.lambda/Makefile by `npm run lambda:stage`; `sam build --use-container` runs the
# target inside the Lambda build image, so the native modules (re2, better-sqlite3, argon2) are
# compiled for the runtime's Amazon Linux and architecture, not for the machine that ran the build.
build-RegistryFunction:
	cp -R dist openapi package.json package-lock.json "$(ARTIFACTS_DIR)/"
	cd "$(ARTIFACTS_DIR)" && npm ci --omit=dev --no-audit --no-fund
	# What compiling the native addons leaves behind (object files, vendored C++ sources) is not
	# needed at run time: the package shrinks from ~167 MB to ~141 MB of Lambda's 250 MB.
	rm -rf "$(ARTIFACTS_DIR)"/node_modules/*/build/Release/obj.target "$(ARTIFACTS_DIR)"/node_modules/*/build/Release/.deps \
		"$(ARTIFACTS_DIR)/node_modules/re2/vendor" "$(ARTIFACTS_DIR)/node_modules/better-sqlite3/deps" "$(ARTIFACTS_DIR)/node_modules/better-sqlite3/src"
