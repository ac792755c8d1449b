<?php
// A LibreSpeed backend's upload and ping endpoint: reads and drops the body, answers 200 with nothing.
header('Cache-Control: no-store, no-cache, must-revalidate, max-age=0');
header('Connection: keep-alive');
$in = fopen('php://input', 'r');
while (!feof($in)) { fread($in, 1048576); }
