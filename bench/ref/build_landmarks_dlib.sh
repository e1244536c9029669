#!/bin/sh
# Builds bench/ref/landmarks_dlib.cpp against libdlib-dev into BUILD/bench/ref/
# (default build/) and prints the binary's path.  Exits 3 when dlib is missing.
set -eu
cd "$(dirname "$0")/../.."
out=${1:-build}/bench/ref/landmarks_dlib
pkg-config --exists dlib-1 || exit 3
if [ ! -x "$out" ] || [ bench/ref/landmarks_dlib.cpp -nt "$out" ]; then
	mkdir -p "$(dirname "$out")"
	g++ -std=c++14 -O2 -o "$out" bench/ref/landmarks_dlib.cpp \
		$(pkg-config --cflags --libs dlib-1) -lpthread >&2
fi
echo "$out"
