#!/usr/bin/env bash
# A throw-away one-node Ceph cluster with an S3 gateway (radosgw) on 127.0.0.1, for the tests that need
# an S3 server that really verifies SigV4 signatures (s3rver only checks the key id).
#
#   scripts/ceph-s3.sh up DIR     start mon + OSD (memstore, in RAM) + radosgw; writes DIR/env
#   scripts/ceph-s3.sh down DIR   stop them (by the pids recorded in DIR) and delete DIR
#
# DIR/env holds `export IMAGEPROXY_TEST_CEPH_S3=http://127.0.0.1:PORT IMAGEPROXY_TEST_CEPH_S3_ACCESS_KEY=…
# IMAGEPROXY_TEST_CEPH_S3_SECRET_KEY=…`. Every port (mon v1/v2, the OSD's messenger range, RGW) is chosen free
# at start, so parallel runs on a shared machine do not collide. Needs Debian's radosgw ceph-mon ceph-osd
# (test.sh installs them when IMAGEPROXY_TEST_CEPH=1). Recipe: shared/services.md §1c and §6.
set -euo pipefail

cmd=${1:?usage: ceph-s3.sh up|down DIR}
C=${2:?usage: ceph-s3.sh up|down DIR}
log() { printf '[ceph-s3] %s\n' "$*" >&2; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { local p=$1; while port_open "$p"; do p=$((p + 1)); done; echo "$p"; }

down() {
  # Gateway first, monitor last: the others talk to the monitor while they shut down.
  local n pid _
  for n in rgw osd mon; do
    [ -f "$C/$n.pid" ] || continue
    pid=$(cat "$C/$n.pid")
    # Only signal the pid if it is still the Ceph daemon we started (a stale file must not kill a stranger).
    if grep -qa -- "ceph\|radosgw" "/proc/$pid/cmdline" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true # the memstore OSD can take >10 s to exit; its data is RAM anyway
    fi
    rm -f "$C/$n.pid"
  done
  rm -rf "$C"
}

up() {
  local started=$SECONDS fsid mon2 mon1 osd_lo rgw conf
  mkdir -p "$C"/{run,log,mon,osd/ceph-0,rgw}
  fsid=$(cat /proc/sys/kernel/random/uuid)
  mon2=$(free_port 13300); mon1=$(free_port $((mon2 + 1)))
  rgw=$(free_port 17480)
  # The OSD binds several messenger ports (public, cluster, heartbeats); give it a range of 20 free ones.
  osd_lo=16800
  while :; do
    local busy=0 p
    for p in $(seq "$osd_lo" $((osd_lo + 19))); do port_open "$p" && { busy=1; break; }; done
    [ "$busy" = 0 ] && break
    osd_lo=$((osd_lo + 20))
  done
  conf="$C/ceph.conf"
  cat >"$conf" <<CONF
[global]
fsid = $fsid
mon host = [v2:127.0.0.1:$mon2,v1:127.0.0.1:$mon1]
public addr = 127.0.0.1
# Without it the OSD listens on 0.0.0.0.
cluster addr = 127.0.0.1
ms bind port min = $osd_lo
ms bind port max = $((osd_lo + 19))
auth cluster required = none
auth service required = none
auth client required = none
# With auth none, radosgw loops on "get_initial_auth_request returned -13" without these two.
ms mon client mode = crc secure
ms client mode = crc secure
run dir = $C/run
admin socket = $C/run/\$name.asok
log file = $C/log/\$name.log
mon data = $C/mon/\$cluster-\$id
osd data = $C/osd/\$cluster-\$id
osd objectstore = memstore
memstore device bytes = 1073741824
osd pool default size = 1
osd pool default min size = 1
mon allow pool size one = true
mon warn on pool no redundancy = false
osd crush chooseleaf type = 0
osd pool default pg autoscale mode = off
osd pool default pg num = 8
osd pool default pgp num = 8
mon max pg per osd = 1000
[client.rgw.s3]
rgw frontends = beast endpoint=127.0.0.1:$rgw
rgw data = $C/rgw
CONF
  monmaptool --create --addv a "[v2:127.0.0.1:$mon2,v1:127.0.0.1:$mon1]" --fsid "$fsid" "$C/monmap" >/dev/null
  ceph-mon -c "$conf" --mkfs -i a --monmap "$C/monmap"
  nohup ceph-mon -c "$conf" -i a -f >"$C/log/mon.out" 2>&1 &
  echo $! >"$C/mon.pid"
  timeout 60 ceph -c "$conf" osd create >/dev/null
  ceph-osd -c "$conf" -i 0 --mkfs 2>/dev/null
  nohup ceph-osd -c "$conf" -i 0 -f >"$C/log/osd.out" 2>&1 &
  echo $! >"$C/osd.pid"
  local _ up=0
  for _ in $(seq 1 120); do
    timeout 10 ceph -c "$conf" osd stat 2>/dev/null | grep -q '1 up' && { up=1; break; }
    sleep 0.5
  done
  [ "$up" = 1 ] || { log "the OSD never came up (see $C/log)"; return 1; }
  nohup radosgw -c "$conf" -n client.rgw.s3 -f >"$C/log/rgw.out" 2>&1 &
  echo $! >"$C/rgw.pid"
  for _ in $(seq 1 300); do port_open "$rgw" && break; sleep 0.2; done
  port_open "$rgw" || { log "radosgw never opened port $rgw (see $C/log)"; return 1; }
  # Fixed test keys: the cluster lives in RAM and only for this run.
  radosgw-admin -c "$conf" user create --uid=imageproxy --display-name=imageproxy \
    --access-key=IMAGEPROXYTESTKEY --secret-key=imageproxy-test-secret >/dev/null
  echo "export IMAGEPROXY_TEST_CEPH_S3=http://127.0.0.1:$rgw IMAGEPROXY_TEST_CEPH_S3_ACCESS_KEY=IMAGEPROXYTESTKEY IMAGEPROXY_TEST_CEPH_S3_SECRET_KEY=imageproxy-test-secret" >"$C/env"
  log "radosgw on 127.0.0.1:$rgw (mon $mon2/$mon1, OSD ports $osd_lo-$((osd_lo + 19))), up in $((SECONDS - started)) s"
}

case "$cmd" in
  up) up ;;
  down) down ;;
  *) echo "usage: ceph-s3.sh up|down DIR" >&2; exit 2 ;;
esac
