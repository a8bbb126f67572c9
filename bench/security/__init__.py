"""The checks of `make security` (bench/security_scan.py), one module each: the server under
attack (server), a browser-like client (client), and the checks (static_analysis, production,
takeover, csv_export, crawler, sqlmap, wapiti), which all report `findings.Finding` rows."""
