#!/bin/sh
# tests/vm/apt-private.sh -- apt for one Debian suite and architecture, in a private state
# directory, never through the machine's apt configuration (/etc/apt is not read or changed).
#
#   apt-private.sh STATE SUITE ARCH update               fetch that suite's package lists
#   apt-private.sh STATE SUITE ARCH newest REGEX         package names matching ^REGEX$, newest
#                                                        first (the mirror may lack the newest)
#   apt-private.sh STATE SUITE ARCH download DIR PKG...  the .debs of PKG... into DIR
#   apt-private.sh STATE SUITE ARCH depends PKG          PKG's direct dependencies, one a line
#
# STATE/SUITE-ARCH/ holds the source list, the lists and apt's cache; `update` runs again only
# when the lists are older than a day or missing, so a second run makes no network access.
# Archives are checked with Debian's archive keyring (debian-archive-keyring), as apt does.
# Suites: any on deb.debian.org (bookworm, bullseye, sid ...); a released suite comes with its
# -updates and -security archives.  Exit status: 0, or apt's.
set -eu

[ $# -ge 4 ] || { echo "usage: $0 STATE SUITE ARCH update|newest|download|depends ..." >&2; exit 2; }
state=$1 suite=$2 arch=$3 cmd=$4
shift 4
d=$(mkdir -p "$state/$suite-$arch" && cd "$state/$suite-$arch" && pwd)
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
mkdir -p "$d/lists/partial" "$d/cache/archives/partial"
# a released suite's kernels are updated in SUITE-security (and SUITE-updates); sid has neither
{
	echo "deb [arch=$arch signed-by=$KEYRING] http://deb.debian.org/debian $suite main"
	case $suite in sid|unstable|experimental) ;; *)
		echo "deb [arch=$arch signed-by=$KEYRING] http://deb.debian.org/debian $suite-updates main"
		echo "deb [arch=$arch signed-by=$KEYRING] http://deb.debian.org/debian-security $suite-security main"
	esac
} > "$d/sources.list"
: > "$d/status"

papt() {	# apt-get or apt-cache with every path private
	tool=$1
	shift
	"$tool" -q -o Dir::Etc::SourceList="$d/sources.list" -o Dir::Etc::SourceParts=/dev/null \
		-o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null \
		-o Dir::State::Lists="$d/lists" -o Dir::State::status="$d/status" \
		-o Dir::Cache="$d/cache" -o Debug::NoLocking=1 \
		-o APT::Architecture="$arch" -o APT::Architectures="$arch" "$@"
}

lists_fresh() {
	[ -n "$(find "$d/lists" -maxdepth 1 -name '*_Packages*' -mtime -1 2>/dev/null | head -n 1)" ]
}

case $cmd in
update)
	lists_fresh || papt apt-get update > "$d/update.log" 2>&1 ||
		{ cat "$d/update.log" >&2; echo "apt-private: apt-get update of $suite/$arch failed" >&2; exit 1; }
	;;
newest)
	lists_fresh || "$0" "$state" "$suite" "$arch" update
	papt apt-cache pkgnames 2>/dev/null | grep -E "^$1\$" | sort -rV
	;;
download)
	dir=$1
	shift
	lists_fresh || "$0" "$state" "$suite" "$arch" update
	mkdir -p "$dir"
	(cd "$dir" && papt apt-get download "$@") > "$d/download.log" 2>&1 ||
		{ cat "$d/download.log" >&2; echo "apt-private: apt-get download $* ($suite/$arch) failed" >&2; exit 1; }
	;;
depends)
	lists_fresh || "$0" "$state" "$suite" "$arch" update
	papt apt-cache depends --no-recommends --no-suggests "$1" 2>/dev/null |
		sed -n 's/^ *\(Pre\)\{0,1\}Depends: \([^ <]*\).*/\2/p' | sed 's/:.*//'
	;;
*)
	echo "apt-private: unknown command '$cmd' (update, newest, download, depends)" >&2
	exit 2
	;;
esac
