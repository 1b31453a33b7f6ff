#!/bin/sh
# Recovers one DynamicShareKeyStore entry with the escrow private key and the stock openssl command (1.1.1 or
# 3.x) alone: no Java, no key service, no store key. README "Recovery with OpenSSL alone" explains when to use it.
#
#   sh escrow-recover.sh ENTRY.der ESCROW.key OUTDIR
#
# ENTRY.der: one entry's CMS AuthEnvelopedData, as `dynamicshare export-entry ALIAS --der` writes it (or a
# database row's encrypted_key_shares bytes). ESCROW.key: the escrow RSA private key, unencrypted PEM or DER.
# Writes OUTDIR/shares.json (the externalServerKeyShares JSON, byte for byte as stored), OUTDIR/metadata.json
# (the walletMetadata JSON) and OUTDIR/alias.txt.
#
# What it checks: the escrow recipient unwraps (RSA-OAEP-SHA-256) to the data key the entry commits to (ARC.7,
# HMAC-SHA256(dataKey, "DynamicShareKeyStore/2 data key commitment"), docs/FORMAT.md). What it does not: the
# AES-GCM tag (openssl enc has no AEAD mode, and openssl cms before the RFC 5083 authAttrs fix cannot parse the
# entry), nor the store's entry tag. The data key passes through argv of openssl enc/dgst: run this on an offline
# machine with no other users.
set -eu
[ $# -eq 3 ] || { echo "usage: $0 ENTRY.der ESCROW.key OUTDIR" >&2; exit 2; }
der=$1; key=$2; out=$3
ARC=2.25.57451746668606488038310949905128049590
LABEL='DynamicShareKeyStore/2 data key commitment'

umask 077
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# One line per element: offset depth header-length length kind type [arc attribute number]
openssl asn1parse -inform DER -in "$der" | awk -v arc="$ARC" '
  { off = $1; sub(/:.*/, "", off)
    d = $0; sub(/.*d=/, "", d); sub(/ .*/, "", d)
    hl = $0; sub(/.*hl=/, "", hl); sub(/ .*/, "", hl)
    l = $0; sub(/.* l= */, "", l); sub(/ .*/, "", l)
    off += 0; d += 0; hl += 0; l += 0
    kind = ($0 ~ / prim: /) ? "prim" : "cons"
    type = $0; sub(/.*(prim|cons): */, "", type); sub(/ +:.*/, "", type); sub(/ +\[HEX DUMP\].*/, "", type); sub(/ +$/, "", type)
    if (d == 3 && type == "SET" && ri == 0) { ri = 1; riEnd = off + hl + l }
    if (ri == 1 && off >= riEnd) ri = 2
    if (ri == 1 && d == 5 && type == "OCTET STRING") print "EK", off, hl, l
    if (d == 6 && type == "OCTET STRING" && l == 12 && nonce == 0) { nonce = 1; print "NONCE", off, hl, l }
    if (d == 4 && kind == "prim" && type == "cont [ 0 ]") print "CT", off, hl, l
    if (d == 3 && type == "OCTET STRING") print "MAC", off, hl, l
    if (d == 5 && index($0, ":" arc ".") > 0) { n = $0; sub(/.*\./, "", n); sub(/ .*/, "", n); attr = n; next }
    if (d == 6 && attr != "") { print "ARC" attr, off, hl, l; attr = "" }
  }' > "$tmp/layout"

part() { # NAME FILE: the contents of the element NAME (first match) into FILE
  set -- $(awk -v n="$1" '$1 == n { print $2, $3, $4; exit }' "$tmp/layout") "$2"
  [ $# -eq 4 ] || { echo "error: the entry has no $1 element: not a DynamicShareKeyStore entry" >&2; exit 1; }
  tail -c +$(( $1 + $2 + 1 )) "$der" | head -c "$3" > "$4"
}
hex() { od -An -v -tx1 "$1" | tr -d ' \n'; }

# The data key: try every key transport recipient with the escrow key; OAEP refuses the others.
found=
i=0
for ek in $(awk '$1 == "EK" { print $2 ":" $3 ":" $4 }' "$tmp/layout"); do
  i=$((i + 1))
  o=${ek%%:*}; rest=${ek#*:}; h=${rest%%:*}; l=${rest#*:}
  tail -c +$(( o + h + 1 )) "$der" | head -c "$l" > "$tmp/ek$i"
  if openssl pkeyutl -decrypt -inkey "$key" -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 \
       -pkeyopt rsa_mgf1_md:sha256 -in "$tmp/ek$i" -out "$tmp/dk" 2>/dev/null \
     && [ "$(wc -c < "$tmp/dk" | tr -d ' ')" = 32 ]; then
    found=yes; break
  fi
done
[ -n "$found" ] || { echo "error: no recipient of this entry opens with this escrow key" >&2; exit 1; }
k=$(hex "$tmp/dk")

# Key commitment (entry format 2): the escrow copy must be the data key the entry commits to.
if awk '$1 == "ARC7" { f = 1 } END { exit !f }' "$tmp/layout"; then
  part ARC7 "$tmp/commitment"
  printf '%s' "$LABEL" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$k" -binary > "$tmp/mine"
  cmp -s "$tmp/commitment" "$tmp/mine" || { echo "error: the escrow recipient holds another key than the entry commits to: refused" >&2; exit 1; }
  echo "key commitment: ok"
else
  echo "warning: entry format 1 carries no key commitment; the data key is not checked" >&2
fi

# AES-256-GCM decryption without the tag: GCM's keystream is AES-CTR from inc32(nonce || 00000001) (NIST SP 800-38D).
part NONCE "$tmp/nonce"
part CT "$tmp/ct"
openssl enc -d -aes-256-ctr -K "$k" -iv "$(hex "$tmp/nonce")00000002" -in "$tmp/ct" -out "$out/shares.json"
part ARC4 "$out/metadata.json"
part ARC3 "$out/alias.txt"
echo "wrote $out/shares.json, $out/metadata.json and $out/alias.txt ($(cat "$out/alias.txt"))"
