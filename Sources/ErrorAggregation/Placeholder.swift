// ErrorAggregation: placeholder until the module lands.
