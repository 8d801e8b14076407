// ErrorAggregationTests: placeholder until the module lands.
