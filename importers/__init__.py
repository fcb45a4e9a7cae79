"""Feed clients and parsers for officials' open data, independent of the web views."""
