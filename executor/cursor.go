package executor

// cursor is one host's place in a play under the free strategy: a stack
// of the task lists it is walking (sections, block parts, included files)
// and of handler flushes, so that each host advances on its own. It
// follows runNodes and runBlock: a failed host leaves its task lists,
// entering rescue and always parts on the way out, as the linear strategy
// does for the hosts of a block.
type cursor struct {
	hs    *hostState
	force bool // --force-handlers: failed hosts still flush
	stack []*frame
	// held is a task taken but not started (throttle): next returns it
	// again.
	held *step
}

// frame is a task list being walked, or a handler flush.
type frame struct {
	flush bool // run the host's notified handlers (i indexes them)
	nodes []*node
	i     int
	// rescuable: a failure in the list leads into a rescue part.
	rescuable bool
	// block is the block whose part (partBlock, partRescue, partAlways)
	// this list is; outer is the rescuable of the list holding the block.
	block *node
	part  int
	outer bool
	// failedBefore: the host had failed when it entered the always part;
	// it fails again after it.
	failedBefore bool
}

const (
	partBlock = iota
	partRescue
	partAlways
)

// step is the next task of a host, with whether a failure there is rescued.
type step struct {
	n         *node
	rescuable bool
}

// newCursor starts a host at the play's beginning: facts, then each
// section followed by a flush of the handlers, as the linear strategy
// runs them.
func newCursor(hs *hostState, gather *node, sections [][]*node, force bool) *cursor {
	c := &cursor{hs: hs, force: force}
	for i := len(sections) - 1; i >= 0; i-- {
		c.push(&frame{flush: true})
		c.push(&frame{nodes: sections[i]})
	}
	if gather != nil {
		c.push(&frame{nodes: []*node{gather}})
	}
	return c
}

func (c *cursor) push(f *frame) { c.stack = append(c.stack, f) }

func (c *cursor) pop() *frame {
	f := c.stack[len(c.stack)-1]
	c.stack = c.stack[:len(c.stack)-1]
	return f
}

// hold keeps a step taken from next for the next call.
func (c *cursor) hold(s step) { c.held = &s }

// flushHandlers makes the host run its notified handlers next (meta:
// flush_handlers).
func (c *cursor) flushHandlers() { c.push(&frame{flush: true}) }

// include makes the host run the lists of included tasks next, in order.
func (c *cursor) include(lists [][]*node, rescuable bool) {
	for i := len(lists) - 1; i >= 0; i-- {
		if len(lists[i]) > 0 {
			c.push(&frame{nodes: lists[i], rescuable: rescuable})
		}
	}
}

// next returns the host's next task (never a block), or false when the
// host is done with the batch.
func (c *cursor) next(handlers []*handlerEntry) (step, bool) {
	if s := c.held; s != nil {
		c.held = nil
		return *s, true
	}
	hs := c.hs
	for len(c.stack) > 0 && !hs.unreachable {
		f := c.stack[len(c.stack)-1]
		stopped := hs.failed || hs.ended
		if f.flush {
			if stopped && !c.force {
				c.pop()
				continue
			}
			for f.i < len(handlers) {
				he := handlers[f.i]
				f.i++
				if hs.notified[he] {
					delete(hs.notified, he)
					return step{n: he.n}, true
				}
			}
			c.pop()
			continue
		}
		if stopped || f.i >= len(f.nodes) {
			c.leave(c.pop())
			continue
		}
		n := f.nodes[f.i]
		f.i++
		if n.task.IsBlock() {
			c.push(&frame{nodes: n.block, block: n, part: partBlock, outer: f.rescuable,
				rescuable: f.rescuable || len(n.rescue) > 0})
			continue
		}
		return step{n: n, rescuable: f.rescuable}, true
	}
	c.stack = nil
	return step{}, false
}

// leave ends a block part: a failed host enters the rescue part, then
// every host that entered the block runs the always part.
func (c *cursor) leave(f *frame) {
	hs := c.hs
	if f.block == nil {
		return
	}
	b := f.block
	if f.part == partAlways {
		if f.failedBefore {
			hs.failed = true
		}
		return
	}
	if hs.unreachable || hs.ended {
		return
	}
	if f.part == partBlock && hs.failed && len(b.rescue) > 0 {
		hs.failed = false
		c.push(&frame{nodes: b.rescue, block: b, part: partRescue, outer: f.outer, rescuable: f.outer})
		return
	}
	if len(b.always) > 0 {
		c.push(&frame{nodes: b.always, block: b, part: partAlways, outer: f.outer, rescuable: f.outer, failedBefore: hs.failed})
		hs.failed = false
	}
}
