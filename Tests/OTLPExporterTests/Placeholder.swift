// OTLPExporterTests: placeholder until the module lands.
