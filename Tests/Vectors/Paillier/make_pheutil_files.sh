#!/bin/sh
# Files written by pheutil (python-paillier's CLI), for hekit's CLI tests.
# Run once with phe installed (pip install phe==1.5.0 click); output committed.
set -e
mkdir -p pheutil && cd pheutil
pheutil genpkey --keysize 2048 --id "pheutil vector key" private.json
pheutil extract private.json public.json
pheutil encrypt --output a.json public.json 5
pheutil encrypt --output b.json public.json -- -1.25
pheutil addenc --output sum.json public.json a.json b.json
pheutil multiply --output product.json public.json a.json 3
pheutil decrypt private.json sum.json > sum.txt
pheutil decrypt private.json product.json > product.txt
