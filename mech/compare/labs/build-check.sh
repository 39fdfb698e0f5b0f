#!/bin/sh
# build-check.sh -- compile the comparison lab program alone and run it once
# (mech/labs-check.sh says how).
set -eu

LABS_DIR=$(cd "$(dirname "$0")" && pwd)
LABS_NAME=compare
. "$LABS_DIR/../../labs-check.sh"

labs_check_all
labs_check_done
