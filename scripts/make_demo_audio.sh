#!/usr/bin/env bash
# Regenerate resources/demo/*.{wav,mp3,opus,m4a,flac} from the scripts in manifest.json
# with espeak-ng (speech), sox and ffmpeg (telephone-style encodings). Run from the repo root.
set -euo pipefail
demo=resources/demo
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
python3 - "$demo/manifest.json" > "$tmp/list" <<'PY'
import json, sys
for d in json.load(open(sys.argv[1]))["dictations"]:
    print("\t".join([d["file"], d["voice"], d["format"], d["script"]]))
PY
while IFS=$'\t' read -r file voice format script; do
  espeak-ng -v "$voice" -s 165 -w "$tmp/raw.wav" "$script" < /dev/null
  out="$demo/$file"
  case "$format" in
    ulaw) sox "$tmp/raw.wav" -r 8000 -c 1 -e mu-law "$out" ;;
    alaw) sox "$tmp/raw.wav" -r 8000 -c 1 -e a-law "$out" ;;
    mp3)  ffmpeg -nostdin -v error -y -i "$tmp/raw.wav" -ar 22050 -ac 1 -b:a 32k "$out" ;;
    opus) ffmpeg -nostdin -v error -y -i "$tmp/raw.wav" -ac 1 -c:a libopus -b:a 16k "$out" ;;
    m4a)  ffmpeg -nostdin -v error -y -i "$tmp/raw.wav" -ar 16000 -ac 1 -c:a aac -b:a 32k "$out" ;;
    flac) sox "$tmp/raw.wav" -r 16000 -c 1 "$out" ;;
    *) echo "unknown format $format" >&2; exit 1 ;;
  esac
  echo "$out"
done < "$tmp/list"
