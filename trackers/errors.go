package trackers

import "errors"

// PermanentError marks a tracker error that retrying cannot fix and that
// proves nothing was created, such as a 400 for an invalid field.
type PermanentError struct{ Err error }

func (e *PermanentError) Error() string { return e.Err.Error() }
func (e *PermanentError) Unwrap() error { return e.Err }

// Permanent wraps err as a [PermanentError].
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return &PermanentError{Err: err}
}

// IsPermanent reports whether err is, or wraps, a [PermanentError].
func IsPermanent(err error) bool {
	var p *PermanentError
	return errors.As(err, &p)
}

// HaltError marks a tracker error after which no more items may be filed
// in this run: filing more would repeat the harm, such as issues created
// without the label that lets a rerun find them.
type HaltError struct{ Err error }

func (e *HaltError) Error() string { return e.Err.Error() }
func (e *HaltError) Unwrap() error { return e.Err }

// Halt wraps err as a [HaltError].
func Halt(err error) error {
	if err == nil {
		return nil
	}
	return &HaltError{Err: err}
}

// IsHalt reports whether err is, or wraps, a [HaltError].
func IsHalt(err error) bool {
	var h *HaltError
	return errors.As(err, &h)
}
