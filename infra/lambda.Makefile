# Copied to infra/.lambda/Makefile by `npm run lambda:stage`; `sam build --use-container` runs the
# target inside the Lambda build image, so the native modules (re2, better-sqlite3, argon2) are
# compiled for the runtime's Amazon Linux and architecture, not for the machine that ran the build.
# Everything else is already inside the bundle (dist/src/adapters/lambda/handler.js).
build-RegistryFunction:
	cp -R dist openapi package.json "$(ARTIFACTS_DIR)/"
	cd "$(ARTIFACTS_DIR)" && npm install --omit=dev --no-audit --no-fund --no-package-lock
	# What compiling the native addons leaves behind (object files, vendored C++ sources) is not
	# needed at run time.
	rm -rf "$(ARTIFACTS_DIR)"/node_modules/*/build/Release/obj.target "$(ARTIFACTS_DIR)"/node_modules/*/build/Release/.deps \
		"$(ARTIFACTS_DIR)/node_modules/re2/vendor" "$(ARTIFACTS_DIR)/node_modules/better-sqlite3/deps" "$(ARTIFACTS_DIR)/node_modules/better-sqlite3/src"

# The scheduled sweeper runs the same bundle (handler.sweep): the same artifacts.
build-SweeperFunction: build-RegistryFunction
