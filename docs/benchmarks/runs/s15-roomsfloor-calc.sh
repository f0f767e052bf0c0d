# calc2.sh RAWFILE: per run user/sys/total µs per delivery (t=window), JIT ticks from the per-thread files, total w/o JIT
while read -r line; do
  tag=$(echo "$line" | grep -o 'tag=[^ ]*' | cut -d= -f2)
  jit=0; [ -f $tag.thr2 ] && jit=$(python3 s15-roomsfloor-thr.py $tag | grep -o 'JIT=[0-9]*' | cut -d= -f2); jit=${jit:-0}
  echo "$line jit_ticks=$jit"
done < $1 | awk '{for(i=1;i<=NF;i++){split($i,a,"=");v[a[1]]=a[2]} d=v["dps"]*v["secs"]; printf "%-24s dps=%7d user=%.2f sys=%.2f total=%.2f w/o-JIT=%.2f (JIT %2d%%) sys-share=%2d%% whole-run=%.2f gen=%d%% load=%s\n", v["tag"], v["dps"], v["user_ticks"]*10000/d, v["sys_ticks"]*10000/d, (v["user_ticks"]+v["sys_ticks"])*10000/d, (v["user_ticks"]+v["sys_ticks"]-v["jit_ticks"])*10000/d, 100*v["jit_ticks"]/(v["user_ticks"]+v["sys_ticks"]+0.001), 100*v["sys_ticks"]/(v["user_ticks"]+v["sys_ticks"]-v["jit_ticks"]+0.001), v["srvcpu"]*10000/v["dps"], int(v["gencpu"]), v["load"]}'
