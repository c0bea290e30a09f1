#!/usr/bin/env bash
# Rebuilds eng/feed/librdkafka.redist.1.9.2.nupkg from the nuspec beside this script.
# The nupkg is committed so that a clean clone restores with plain `dotnet build`; run this after editing the nuspec.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
feed="$here/../feed"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$here/librdkafka.redist.nuspec" "$work/"
cat > "$work/[Content_Types].xml" <<'XML'
<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="nuspec" ContentType="application/octet" /></Types>
XML
mkdir -p "$feed"
rm -f "$feed/librdkafka.redist.1.9.2.nupkg"
# Fixed timestamps keep the archive byte-identical between runs.
(cd "$work" && touch -d '2020-01-01 00:00:00' ./* && python3 -c "
import zipfile,sys
with zipfile.ZipFile(sys.argv[1],'w',zipfile.ZIP_DEFLATED) as z:
    for n in ['librdkafka.redist.nuspec','[Content_Types].xml']:
        zi=zipfile.ZipInfo(n,(2020,1,1,0,0,0)); zi.compress_type=zipfile.ZIP_DEFLATED
        z.writestr(zi,open(n,'rb').read())
" "$feed/librdkafka.redist.1.9.2.nupkg")
echo "wrote $feed/librdkafka.redist.1.9.2.nupkg"
