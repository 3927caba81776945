from __future__ import annotations

from compiler.app.cached import main

raise SystemExit(main())
