#!/bin/sh
# An external renderer for T2M_RENDER_COMMAND: reads the job as JSON on stdin, renders a test pattern of the
# requested size and length with ffmpeg, reports progress, and names its output.
#   T2M_RENDER_COMMAND="sh docs/render-command-example.sh" scripts/run
job=$(cat)
width=$(echo "$job" | sed -n 's/.*"width":\([0-9]*\).*/\1/p')
height=$(echo "$job" | sed -n 's/.*"height":\([0-9]*\).*/\1/p')
seconds=$(echo "$job" | sed -n 's/.*"duration_secs":\([0-9]*\).*/\1/p')
echo "progress 5"
ffmpeg -v error -y -f lavfi -i "testsrc=duration=${seconds}:size=${width}x${height}:rate=24" -pix_fmt yuv420p out.mp4 || {
  echo "ffmpeg could not render the test pattern" >&2
  exit 3
}
echo "progress 95"
echo "output out.mp4"
