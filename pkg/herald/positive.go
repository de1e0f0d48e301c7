package herald

// PositiveOr returns v when it is above zero and def otherwise: the rule
// every component's Config follows for its limits and intervals, where 0
// (unset) or a negative value means the component's default.
func PositiveOr[T ~int | ~int64](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}
