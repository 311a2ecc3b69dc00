"""Sweep specifications: one validated, canonical form for the keyword and TOML forms.

Everything here runs on the client before anything is submitted: unknown
names, unknown fluids, empty axes, ``low > high`` and values in the wrong unit
or with the wrong sign raise ``ValueError`` naming the field.

Values are base SI. Degrees Celsius, bar, kPa, MPa, kW and percent are
accepted only when spelled out with ``unit=`` next to the value, e.g.
``{"start": -10, "stop": 10, "num": 21, "unit": "degC"}`` (TOML:
``T_evap = { start = -10, stop = 10, num = 21, unit = "degC" }``).
"""
import dataclasses
import hashlib
import json
import math
import numbers
import warnings

import numpy as np

from .models import resolve_model

SAMPLINGS = ("grid", "sobol", "lhs")

#: unit name -> (kind, scale, offset): SI = value * scale + offset (scales below 1 divide by 1/scale)
_UNITS = {
    "K": ("temperature", 1.0, 0.0),
    "degC": ("temperature", 1.0, 273.15),
    "celsius": ("temperature", 1.0, 273.15),
    "Pa": ("pressure", 1.0, 0.0),
    "kPa": ("pressure", 1e3, 0.0),
    "bar": ("pressure", 1e5, 0.0),
    "MPa": ("pressure", 1e6, 0.0),
    "1": ("fraction", 1.0, 0.0),
    "%": ("fraction", 1 / 100, 0.0),
    "percent": ("fraction", 1 / 100, 0.0),
    "W": ("power", 1.0, 0.0),
    "kW": ("power", 1e3, 0.0),
    "kg/s": ("mass_flow", 1.0, 0.0),
    "1/s": ("frequency", 1.0, 0.0),
    "Hz": ("frequency", 1.0, 0.0),
    "rpm": ("frequency", 1 / 60, 0.0),
}
# temperature differences: kelvin only (a difference in degrees Celsius is the same number)
_DIFF_UNITS = {"K": 1.0, "delta_degC": 1.0}


def quantity_kind(name):
    """The kind of quantity an input name holds (decides units and sign checks)."""
    if name in ("superheat", "subcooling") or name.startswith("dT"):
        return "temperature_difference"
    if name == "T" or name.startswith("T_"):
        return "temperature"
    if name == "p" or name.startswith("p_"):
        return "pressure"
    if name.startswith(("eta", "eps")):
        return "fraction"
    if name.startswith("Q_") or name.startswith("P_"):
        return "power"
    if name == "m_dot" or name.endswith("mass_flow"):
        return "mass_flow"
    if name == "demand":
        return "power"
    if name == "speed":
        return "frequency"
    return "other"


_SI_UNIT = {
    "temperature": "K",
    "temperature_difference": "K",
    "pressure": "Pa",
    "fraction": "1",
    "power": "W",
    "mass_flow": "kg/s",
    "frequency": "1/s",
    "other": "",
}


def si_unit(name):
    return _SI_UNIT[quantity_kind(name)]


def _to_si(field, name, values, unit):
    """Convert ``values`` (float array) given in ``unit`` to SI for input ``name``."""
    kind = quantity_kind(name)
    if unit is None:
        return values
    if not isinstance(unit, str):
        raise ValueError(f"{field}.unit={unit!r}: must be a unit name (str)")
    if kind == "temperature_difference":
        if unit not in _DIFF_UNITS:
            raise ValueError(
                f"{field}.unit={unit!r}: {name} is a temperature difference; allowed units: {', '.join(_DIFF_UNITS)}"
            )
        return values * _DIFF_UNITS[unit]
    if kind == "other":
        if unit in ("", "1"):
            return values
        raise ValueError(f"{field}.unit={unit!r}: {name} takes no unit conversion; give it in base SI")
    allowed = [u for u, (k, _, _) in _UNITS.items() if k == kind]
    if unit not in allowed:
        raise ValueError(f"{field}.unit={unit!r}: allowed units for {name}: {', '.join(allowed)}")
    _, scale, offset = _UNITS[unit]
    if 0.0 < scale < 1.0:  # divide by the integer: 70 % -> 0.7 exactly, not 70 * 0.01 = 0.7000000000000001
        return values / round(1.0 / scale) + offset
    return values * scale + offset


def _check_physical(field, name, values):
    """Raise when values cannot be in base SI for this input (wrong unit or sign)."""
    kind = quantity_kind(name)
    v = np.asarray(values, dtype=float)
    if not np.all(np.isfinite(v)):
        raise ValueError(f"{field}: values must be finite numbers, got {values_repr(v)}")
    if kind == "temperature":
        if np.any(v <= 0):
            raise ValueError(
                f"{field}: {name} is an absolute temperature in K and must be > 0, got {float(v.min())!r}; "
                'for degrees Celsius add unit = "degC"'
            )
        if np.any(v < 100.0):
            raise ValueError(
                f"{field}: {name}={float(v.min())!r} K is below 100 K; temperatures are in kelvin: "
                'for degrees Celsius add unit = "degC"'
            )
    elif kind == "temperature_difference":
        if np.any(v < 0):
            raise ValueError(f"{field}: {name} is a temperature difference [K] and must be >= 0, got {float(v.min())!r}")
    elif kind == "pressure":
        if np.any(v <= 0):
            raise ValueError(f"{field}: {name} is a pressure in Pa and must be > 0, got {float(v.min())!r}")
        if np.any(v < 1000.0):
            raise ValueError(
                f"{field}: {name}={float(v.min())!r} Pa is below 1 kPa; pressures are in Pa: "
                'for bar add unit = "bar"'
            )
    elif kind == "fraction":
        if np.any(v < 0):
            raise ValueError(f"{field}: {name} is a fraction in [0, 1] and must be >= 0, got {float(v.min())!r}")
        if np.any(v > 1):
            raise ValueError(
                f"{field}: {name}={float(v.max())!r} is above 1; it is a fraction in [0, 1]: for percent add unit = \"%\""
            )
        if name.startswith("eta") and np.any(v == 0):
            raise ValueError(f"{field}: {name} is an efficiency in (0, 1] and must be > 0, got 0")
    elif kind in ("power", "mass_flow", "frequency"):
        if np.any(v <= 0):
            raise ValueError(f"{field}: {name} must be > 0 [{_SI_UNIT[kind]}], got {float(v.min())!r}")


def values_repr(v):
    v = list(np.ravel(v))
    return repr(v[:5] + ["..."] if len(v) > 5 else v)


def _is_number(x):
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


@dataclasses.dataclass
class Spec:
    """A validated sweep specification (all values base SI)."""

    plan: object  # ModelPlan
    fluid: object  # str, or None when "fluid" is an axis
    word_axes: list  # [(name, [str, ...])], in the user's order (includes "fluid")
    num_axes: list  # grid: [(name, float64 array)]; sampled: [(name, low, high)]
    fixed: dict  # numeric inputs held fixed: name -> float
    words: dict  # word inputs held fixed: name -> value (str, number, description or object)
    sampling: str
    n: object  # samples (sobol/lhs) or None
    seed: object  # int or None
    word_values: dict = dataclasses.field(default_factory=dict)  # axis name -> values (when not the labels)
    word_canon: dict = dataclasses.field(default_factory=dict)  # name -> canonical (JSON) form(s), when not the value
    fluid_label: object = None  # the fixed fluid as the user spelled it

    # --- shape -----------------------------------------------------------------
    @property
    def word_shape(self):
        return tuple(len(v) for _, v in self.word_axes)

    @property
    def block(self):
        """Points per combination of word-axis values."""
        if self.sampling == "grid":
            return int(np.prod([len(v) for _, v in self.num_axes], dtype=np.int64)) if self.num_axes else 1
        return int(self.n)

    @property
    def n_blocks(self):
        return int(np.prod(self.word_shape, dtype=np.int64)) if self.word_axes else 1

    @property
    def n_points(self):
        return self.n_blocks * self.block

    @property
    def dims(self):
        words = [name for name, _ in self.word_axes]
        if self.sampling == "grid":
            return tuple(words + [name for name, _ in self.num_axes])
        return tuple(words + ["sample"])

    @property
    def shape(self):
        if self.sampling == "grid":
            return self.word_shape + tuple(len(v) for _, v in self.num_axes)
        return self.word_shape + (int(self.n),)

    @property
    def fluids(self):
        """Every fluid whose table the sweep needs."""
        out = []
        for name, values in self.word_axes:
            if name in ("fluid", "fluid_low"):
                out.extend(self.word_values.get(name, values))
        if self.fluid is not None:
            out.append(self.fluid)
        if self.words.get("fluid_low"):
            out.append(self.words["fluid_low"])
        seen = []
        for f in out:
            if f not in seen:
                seen.append(f)
        return seen

    def block_words(self, b):
        """(fluid, word inputs) of block ``b`` (flat index over the word axes)."""
        idx = np.unravel_index(b, self.word_shape) if self.word_axes else ()
        words = dict(self.words)
        fluid = self.fluid
        for (name, values), i in zip(self.word_axes, idx):
            if name == "fluid":
                fluid = self.word_values.get(name, values)[int(i)]
            else:
                words[name] = self.word_values.get(name, values)[int(i)]
        return fluid, words

    # --- canonical form ----------------------------------------------------------
    def to_json(self, with_seed=True):
        axes = {}
        for name, values in self.word_axes:
            axes[name] = {"values": list(values)}
            if name in self.word_canon:
                axes[name]["described"] = list(self.word_canon[name])
        for item in self.num_axes:
            if self.sampling == "grid":
                name, values = item
                axes[name] = {"values": [float(x) for x in values]}
            else:
                name, low, high = item
                axes[name] = {"low": float(low), "high": float(high)}
        d = dict(self.plan.to_json())
        d.update(
            {
                "fluid": self.fluid,
                "fluid_label": self.fluid_label,
                "axes": axes,
                "axis_order": [n for n, _ in self.word_axes] + [it[0] for it in self.num_axes],
                "fixed": {k: float(v) for k, v in sorted(self.fixed.items())},
                "options": {k: self.word_canon.get(k, v) for k, v in sorted(self.words.items())},
                "sampling": self.sampling,
                "n": None if self.n is None else int(self.n),
            }
        )
        if with_seed:
            d["seed"] = self.seed
        return d

    def canonical(self, with_seed=True):
        # Memoized: a long grid axis makes this JSON text tens of milliseconds of work (every
        # value's repr), and a sweep needs it several times. A spec is not changed after
        # build_spec except for its seed, which is part of the key.
        key = (with_seed, self.seed if with_seed else None)
        memo = self.__dict__.setdefault("_canonical_memo", {})
        text = memo.get(key)
        if text is None:
            text = memo[key] = json.dumps(self.to_json(with_seed), sort_keys=True, separators=(",", ":"))
        return text

    def digest(self, with_seed=True):
        return hashlib.sha256(self.canonical(with_seed).encode()).hexdigest()


def _resolve_fluid(field, name, value):
    if not isinstance(value, str):
        raise ValueError(f"{field}: {name} takes fluid names (str), got {value!r}")
    from ..properties.fluids import resolve_fluid

    try:
        return resolve_fluid(value)
    except ValueError as exc:
        raise ValueError(f"{field}: {exc}") from None


def _is_object_kind(kind):
    return isinstance(kind, str) and kind.startswith("object:")


def _jsonable(field, value):
    """A JSON form of a description (dicts, lists, numbers, str; numpy arrays as lists)."""
    if isinstance(value, dict):
        return {str(k): _jsonable(field, v) for k, v in sorted(value.items())}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_jsonable(field, v) for v in (value.tolist() if isinstance(value, np.ndarray) else value)]
    if isinstance(value, (str, bool)) or value is None:
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    raise ValueError(f"{field}: {value!r} cannot be stored in a spec (give numbers, words, lists or tables)")


def _object_canon(value):
    """Canonical form of a component object: its type and a digest of the arrays the kernels read."""
    h = hashlib.sha256(type(value).__name__.encode())
    for attr in ("params", "arrays"):
        arrs = getattr(value, attr, None)
        if arrs is None:
            continue
        for a in (arrs if isinstance(arrs, (tuple, list)) else [arrs]):
            h.update(np.ascontiguousarray(a, dtype=np.float64).tobytes())
    r = repr(value)
    out = {"type": type(value).__name__, "digest": h.hexdigest()}
    if " object at 0x" not in r:
        out["repr"] = r
    return out


def word_entry(field, name, value, plan):
    """(canonical form, value) of one value of a word input (checked)."""
    kind = plan.word_allowed.get(name)
    if name in ("fluid", "fluid_low") or (kind is None and name in plan.word_allowed):
        v = _resolve_fluid(field, name, value)
        return v, v
    if kind == "int":
        if not (isinstance(value, numbers.Integral) and not isinstance(value, bool)) or value < 1:
            raise ValueError(f"{field}: {name}={value!r}: must be an integer >= 1")
        return int(value), int(value)
    if kind == "fraction":
        if not _is_number(value) or not (0.0 <= float(value) <= 1.0):
            raise ValueError(f"{field}: {name}={value!r}: must be a number in [0, 1]")
        return float(value), float(value)
    if _is_object_kind(kind):
        cls_name, _, str_ok = kind[len("object:"):].partition(":")
        if isinstance(value, str):
            if not str_ok:
                raise ValueError(
                    f"{field}: {name}={value!r}: give a {cls_name} object, or a table of its arguments "
                    f"with type = \"...\""
                )
            return value, value
        if isinstance(value, dict):
            canon = _jsonable(field, value)
            from .models import materialize

            try:  # build it here once, so that a bad description fails before any work
                materialize(name, value)
            except (TypeError, ValueError) as exc:
                raise ValueError(f"{field}: {name}={value!r}: {exc}") from None
            return canon, value
        if type(value).__name__ == cls_name or any(c.__name__ == cls_name for c in type(value).__mro__):
            return _object_canon(value), value
        raise ValueError(f"{field}: {name}={value!r}: must be a {cls_name} (or a table of its arguments)")
    _check_word(field, name, value, plan)
    return value, value


def _label(canon):
    if isinstance(canon, str):
        return canon
    if isinstance(canon, dict) and "repr" in canon:
        return canon["repr"]
    if isinstance(canon, dict) and "digest" in canon:
        return f"{canon['type']}-{canon['digest'][:8]}"
    return json.dumps(canon, sort_keys=True, separators=(",", ":"))


def _check_word(field, name, value, plan):
    if not isinstance(value, str):
        raise ValueError(f"{field}: {name} takes words (str), got {value!r}")
    allowed = plan.word_allowed.get(name)
    if allowed:
        if value not in allowed:
            raise ValueError(f"{field}: {name}={value!r}; allowed: {', '.join(allowed)}")


def _parse_values(field, name, spec, sampling, is_word):
    """Return ('values', list) for explicit values or ('range', low, high)."""
    unit = None
    if isinstance(spec, dict):
        spec = dict(spec)
        unit = spec.pop("unit", None)
        keys = set(spec)
        if keys == {"values"}:
            vals = spec["values"]
        elif keys == {"start", "stop", "num"}:
            for k in ("start", "stop"):
                if not _is_number(spec[k]):
                    raise ValueError(f"{field}.{k}={spec[k]!r}: must be a number")
            num = spec["num"]
            if not (isinstance(num, numbers.Integral) and not isinstance(num, bool)) or num < 0:
                raise ValueError(f"{field}.num={num!r}: must be an integer >= 1")
            if num == 0:
                raise ValueError(f"{field}: empty axis (num = 0)")
            if spec["start"] > spec["stop"]:
                raise ValueError(f"{field}: start={spec['start']!r} > stop={spec['stop']!r}")
            vals = np.linspace(float(spec["start"]), float(spec["stop"]), int(num))
        elif keys == {"low", "high"}:
            if sampling == "grid":
                raise ValueError(
                    f"{field}: a (low, high) range needs sampling='sobol' or 'lhs'; for a grid give values "
                    "or start/stop/num"
                )
            low, high = spec["low"], spec["high"]
            return _range(field, name, low, high, unit)
        else:
            raise ValueError(
                f"{field}={spec!r}: give a list of values, {{values, unit}}, {{start, stop, num[, unit]}} "
                "or (sampled designs) {low, high[, unit]}"
            )
    else:
        vals = spec
    if isinstance(vals, (str, bytes)) or _is_number(vals):
        raise ValueError(f"{field}={vals!r}: an axis takes a list of values (or start/stop/num, or low/high)")
    if isinstance(vals, np.ndarray) and vals.dtype.kind in "fiu" and not is_word:
        # numeric arrays (and start/stop/num): checked as arrays, never element by element
        if vals.size == 0:
            raise ValueError(f"{field}: empty axis (no values)")
        if sampling != "grid":
            if vals.size != 2:
                raise ValueError(
                    f"{field}: with sampling={sampling!r} a numeric axis is a range: [low, high] or {{low, high}}, "
                    f"got {vals.size} values"
                )
            return _range(field, name, float(vals.flat[0]), float(vals.flat[1]), unit)
        arr = _to_si(field, name, np.ascontiguousarray(vals.ravel(), dtype=np.float64), unit)
        _check_physical(field, name, arr)
        if len(np.unique(arr)) != len(arr):
            raise ValueError(f"{field}: duplicate values in {values_repr(arr)}")
        return ("values", arr)
    try:
        vals = list(np.asarray(vals).ravel()) if isinstance(vals, np.ndarray) else list(vals)
    except TypeError:
        raise ValueError(f"{field}={vals!r}: an axis takes a list of values") from None
    if not vals:
        raise ValueError(f"{field}: empty axis (no values)")
    if is_word or any(isinstance(v, str) for v in vals):
        if not is_word:
            raise ValueError(f"{field}: {name} takes numbers, got {values_repr(vals)}")
        if unit is not None:
            raise ValueError(f"{field}.unit: {name} takes words, not quantities with a unit")
        return ("values", vals)
    for v in vals:
        if not (_is_number(v) or isinstance(v, np.number)) or isinstance(v, (bool, np.bool_)):
            raise ValueError(f"{field}: {name} takes numbers, got {v!r}")
    if sampling != "grid":
        if len(vals) != 2:
            raise ValueError(
                f"{field}: with sampling={sampling!r} a numeric axis is a range: [low, high] or {{low, high}}, "
                f"got {len(vals)} values"
            )
        return _range(field, name, vals[0], vals[1], unit)
    arr = _to_si(field, name, np.asarray(vals, dtype=np.float64), unit)
    _check_physical(field, name, arr)
    if len(np.unique(arr)) != len(arr):
        raise ValueError(f"{field}: duplicate values in {values_repr(arr)}")
    return ("values", arr)


def _range(field, name, low, high, unit):
    for k, v in (("low", low), ("high", high)):
        if not _is_number(v):
            raise ValueError(f"{field}.{k}={v!r}: must be a number")
    lo, hi = _to_si(field, name, np.array([low, high], dtype=np.float64), unit)
    if lo > hi:
        raise ValueError(f"{field}: low={low!r} > high={high!r}")
    _check_physical(field, name, np.array([lo, hi]))
    return ("range", float(lo), float(hi))


def _fixed_value(field, name, value, is_word):
    unit = None
    if isinstance(value, dict):
        value = dict(value)
        unit = value.pop("unit", None)
        if set(value) != {"value"}:
            raise ValueError(f"{field}={value!r}: a fixed value is a number, a word, or {{value, unit}}")
        value = value["value"]
    if is_word:
        if not isinstance(value, str):
            raise ValueError(f"{field}={value!r}: {name} takes a word (str)")
        return value
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if not _is_number(value):
        raise ValueError(f"{field}={value!r}: {name} takes a number (put several values in axes=)")
    v = _to_si(field, name, np.array([float(value)]), unit)
    _check_physical(field, name, v)
    return float(v[0])


def build_spec(model="cycle", *, fluid=None, axes=None, fixed=None, sampling="grid", n=None, seed=None, **options):
    """Validate a sweep specification; returns a :class:`Spec` (raises ``ValueError``)."""
    plan, options = resolve_model(model, options)
    what = f"model={model!r}" + (f", cycle={plan.kind!r}" if plan.kind else "")
    if sampling not in SAMPLINGS:
        raise ValueError(f"sampling={sampling!r}: allowed: {', '.join(SAMPLINGS)}")
    if axes is None or not isinstance(axes, dict):
        raise ValueError(f"axes={axes!r}: must be a mapping name -> values (at least one axis)")
    if not axes:
        raise ValueError("axes={}: give at least one axis")
    fixed = {} if fixed is None else fixed
    if not isinstance(fixed, dict):
        raise ValueError(f"fixed={fixed!r}: must be a mapping name -> value")

    allowed = list(plan.inputs) + list(plan.words)
    word_names = set(plan.words)

    # fluid
    needs_fluid_name = plan.needs_tables
    if "fluid" in axes:
        if fluid is not None:
            raise ValueError(f"fluid={fluid!r} and axes['fluid'] both given; give one")
        fluid_value = None
    else:
        if fluid is None:
            raise ValueError("fluid= is required (a fluid name, or a list of names as axes['fluid'])")
        if not isinstance(fluid, str):
            raise ValueError(f"fluid={fluid!r}: one fluid name (str); for several, use axes['fluid']")
        fluid_value = _resolve_fluid("fluid", "fluid", fluid) if needs_fluid_name else fluid
    if "fluid" in fixed:
        raise ValueError("fixed['fluid']: give the fluid as fluid= (or as axes['fluid'])")

    # options given as keywords are fixed word inputs
    for name, value in options.items():
        if name not in word_names:
            raise ValueError(
                f"{name}={value!r}: not an option of {what}; options: "
                f"{', '.join(['cycle', 'outputs'] + sorted(word_names)) if model == 'cycle' else ', '.join(['outputs'] + sorted(word_names))}"
                f"; numeric inputs go in axes= or fixed="
            )
        if name in fixed or name in axes:
            raise ValueError(f"{name}: given both as a keyword option and in axes/fixed")
    fixed = dict(fixed)
    fixed.update(options)

    word_axes, num_axes = [], []
    word_values, word_canon = {}, {}
    for name, values in axes.items():
        field = f"axes[{name!r}]"
        if not isinstance(name, str):
            raise ValueError(f"{field}: axis names are input names (str)")
        if name != "fluid" and name not in allowed:
            raise ValueError(f"{field}: {name!r} is not an input of {what}; inputs: {', '.join(allowed)}")
        if name in fixed:
            raise ValueError(f"{name!r} is both an axis and fixed; give it once")
        is_word = name == "fluid" or name in word_names
        if is_word:
            labelled = None
            if isinstance(values, dict) and set(values) - {"values"}:
                if not _is_object_kind(plan.word_allowed.get(name)):
                    raise ValueError(f"{field}: {name} takes a list of values")
                labelled = list(values.items())  # label -> value
            else:
                if isinstance(values, dict):
                    values = values["values"]
                if isinstance(values, (str, bytes, dict)) or not hasattr(values, "__iter__"):
                    raise ValueError(f"{field}={values!r}: an axis takes a list of values")
                labelled = [(None, v) for v in values]
            if not labelled:
                raise ValueError(f"{field}: empty axis (no values)")
            labels, canon, vals = [], [], []
            for label, v in labelled:
                if name == "fluid" and not needs_fluid_name:
                    c, val = str(v), str(v)
                else:
                    c, val = word_entry(field, name, v, plan)
                if label is None and name in ("fluid", "fluid_low"):
                    label = str(v).strip()  # the user's spelling labels the axis; tables use CoolProp's name
                labels.append(str(label) if label is not None else str(_label(c)))
                canon.append(c)
                vals.append(val)
            if len(set(labels)) != len(labels) or len({json.dumps(c, sort_keys=True) for c in canon}) != len(canon):
                raise ValueError(f"{field}: duplicate values in {labels!r}")
            word_axes.append((name, labels))
            if any(not isinstance(c, str) for c in canon) or labels != canon:
                word_values[name] = vals
                word_canon[name] = canon
            continue
        parsed = _parse_values(field, name, values, sampling, False)
        if parsed[0] == "values":
            num_axes.append((name, np.ascontiguousarray(parsed[1], dtype=np.float64)))
        else:
            num_axes.append((name, parsed[1], parsed[2]))

    fixed_num, fixed_words = {}, {}
    for name, value in fixed.items():
        field = f"fixed[{name!r}]"
        if name not in allowed:
            raise ValueError(f"{field}: {name!r} is not an input of {what}; inputs: {', '.join(allowed)}")
        if name in word_names:
            c, v = word_entry(field, name, value, plan)
            fixed_words[name] = v
            if not isinstance(c, str) or c != v:
                word_canon[name] = c
        else:
            fixed_num[name] = _fixed_value(field, name, value, False)

    given = {n for n, _ in word_axes} | {it[0] for it in num_axes} | set(fixed_num) | set(fixed_words)
    missing = [k for k, d in plan.inputs.items() if d is None and k not in given]
    missing += [k for k in plan.required_words if k not in given]
    if missing:
        raise ValueError(f"{what} needs {', '.join(missing)}: give each in axes= or fixed=")

    if sampling == "grid":
        if n is not None:
            raise ValueError(f"n={n!r}: applies to sampling='sobol' or 'lhs' only (a grid's size follows its axes)")
        if seed is not None:
            raise ValueError(f"seed={seed!r}: applies to sampling='sobol' or 'lhs' only")
    else:
        if not num_axes:
            raise ValueError(f"sampling={sampling!r} needs at least one numeric axis given as (low, high)")
        if not (isinstance(n, numbers.Integral) and not isinstance(n, bool)) or n < 1:
            raise ValueError(f"n={n!r}: sampling={sampling!r} needs the number of samples, an integer >= 1")
        if seed is not None and (not isinstance(seed, numbers.Integral) or isinstance(seed, bool) or seed < 0):
            raise ValueError(f"seed={seed!r}: must be an integer >= 0 (or None for a fresh one)")
        if sampling == "sobol":
            if n & (n - 1):
                warnings.warn(
                    f"n={n}: Sobol' points keep their balance properties only for a power of two "
                    f"(e.g. {1 << int(math.log2(n))} or {1 << (int(math.log2(n)) + 1)})",
                    UserWarning,
                    stacklevel=3,
                )
            if n > 2**32:
                raise ValueError(f"n={n}: at most 2**32 Sobol' points")
        seed = None if seed is None else int(seed)
    return Spec(plan, fluid_value, word_axes, num_axes, fixed_num, fixed_words, sampling,
                None if n is None else int(n), seed, word_values, word_canon,
                None if fluid is None else str(fluid).strip())


def fresh_seed():
    """A new random seed (recorded in the dataset, so the sample can be redrawn)."""
    return int(np.random.SeedSequence().entropy % (2**63))


# --- TOML ------------------------------------------------------------------------

TOML_KEYS = ("model", "cycle", "fluid", "axes", "fixed", "sampling", "n", "seed", "outputs", "options", "out",
             "chunk_size", "n_workers")


def load_toml(path):
    """Read a sweep file; returns the keyword arguments of :func:`hpcore.sweep` and ``out``.

    The file says what the keyword form says::

        model = "cycle"            # or "heat_pump"
        cycle = "basic"
        fluid = "R290"             # or axes.fluid = ["R290", "R32"]
        sampling = "grid"          # "sobol" or "lhs" with n = ... and seed = ...
        outputs = ["COP_heating", "T_discharge"]
        out = "sweep.h5"           # where the dataset goes (--out overrides)

        [axes]
        T_evap = { start = -20, stop = 10, num = 31, unit = "degC" }
        T_cond = [308.15, 318.15, 328.15]

        [fixed]
        superheat = 5.0
        subcooling = 2.0
        eta_is = 0.7

        [options]                  # word inputs of the cycle, e.g. economizer = "flash"
    """
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib

    try:
        with open(path, "rb") as fh:
            doc = tomllib.load(fh)
    except OSError as exc:
        raise ValueError(f"sweep file {path}: cannot be read ({exc.strerror or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"sweep file {path}: not valid TOML ({exc})") from None
    unknown = [k for k in doc if k not in TOML_KEYS]
    if unknown:
        raise ValueError(f"sweep file {path}: unknown key(s) {', '.join(map(repr, unknown))}; allowed: {', '.join(TOML_KEYS)}")
    doc = dict(doc)
    options = doc.pop("options", {}) or {}
    if not isinstance(options, dict):
        raise ValueError(f"sweep file {path}: [options] must be a table")
    out = doc.pop("out", None)
    kwargs = dict(doc)
    kwargs.update(options)
    return kwargs, out
