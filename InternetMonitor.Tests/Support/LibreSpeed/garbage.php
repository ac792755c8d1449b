<?php
// A LibreSpeed backend's download endpoint, as LibreSpeed serves it: ckSize chunks of 1 MiB (1 to 1024, default 4),
// no Content-Length, never cached.
header('Content-Type: application/octet-stream');
header('Cache-Control: no-store, no-cache, must-revalidate, max-age=0');
$chunks = isset($_GET['ckSize']) ? intval($_GET['ckSize']) : 4;
if ($chunks < 1) { $chunks = 4; }
if ($chunks > 1024) { $chunks = 1024; }
$data = str_repeat("\0", 1048576);
for ($i = 0; $i < $chunks; $i++) {
    echo $data;
    flush();
}
