#!/usr/bin/env bash
# apigen_update.sh: issue 9 item 2 (seed 000): the generated API schemas file of config
# "pydantic_target". Against a real PostgreSQL: `update` writes XCreate/XUpdate/XResponse
# per table (no identity/generated/defaulted columns in Create, all optional in Update,
# all columns and from_attributes in Response; max_length from varchar(n)/char(n), ge/gt
# from CHECKs; enum columns as the enum class imported from the enums module). Then a
# validator and a method are added by hand inside a generated class, and a class and a
# function outside; the database changes (a column added, a varchar length changed, a
# table dropped); `update` regenerates only the fields: the hand-written code is intact,
# the classes are right, ast and mypy accept the files, pydantic enforces the constraints,
# and a second update is a no-op (git status clean).
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"
. "$FIXTURES/pydantic/pyd.sh"
need mypy

dr_repo apigen_update "
CREATE TYPE product_status AS ENUM ('draft', 'live');
CREATE TABLE products (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name varchar(80) NOT NULL, code char(3), price numeric NOT NULL CHECK (price >= 0),
    stock integer NOT NULL DEFAULT 0 CHECK (stock > 0), status product_status NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    total numeric GENERATED ALWAYS AS (price * 2) STORED);
CREATE TABLE orders (id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    product_id bigint REFERENCES products, qty integer NOT NULL, note text);
CREATE TABLE events (id integer NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
CREATE TABLE events_2024 PARTITION OF events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE VIEW live_products AS SELECT id, name FROM products;"
A=app/api/schemas_generated.py
echo '{"pydantic_target": "app/api/schemas_generated.py"}' >.schemerge.json
git add -A && git commit -qm config

run sm update
expect_rc 0 "first update"
[ -f $A ] || { fail "$A was not written"; finish; }
dr_ast $A
# the classes and their fields, as ast sees them
cat >"$T/fields.py" <<'PY'
import ast, sys
tree = ast.parse(open(sys.argv[1]).read())
for c in tree.body:
    if not isinstance(c, ast.ClassDef):
        continue
    print("class", c.name, [ast.unparse(b) for b in c.bases])
    for s in c.body:
        if isinstance(s, ast.AnnAssign):
            print("   ", s.target.id, ":", ast.unparse(s.annotation), "=", ast.unparse(s.value) if s.value else "-")
        elif isinstance(s, ast.Assign):
            print("   ", ast.unparse(s))
PY
python3 "$T/fields.py" $A >"$T/got1"
cat >"$T/want1" <<'EOF2'
class EventCreate ['BaseModel']
    id : int = -
    at : str = -
class EventUpdate ['BaseModel']
    id : Optional[int] = None
    at : Optional[str] = None
class EventResponse ['BaseModel']
    model_config = ConfigDict(from_attributes=True)
    id : int = -
    at : str = -
class OrderCreate ['BaseModel']
    product_id : Optional[int] = None
    qty : int = -
    note : Optional[str] = None
class OrderUpdate ['BaseModel']
    id : Optional[str] = None
    product_id : Optional[int] = None
    qty : Optional[int] = None
    note : Optional[str] = None
class OrderResponse ['BaseModel']
    model_config = ConfigDict(from_attributes=True)
    id : str = -
    product_id : Optional[int] = -
    qty : int = -
    note : Optional[str] = -
class ProductCreate ['BaseModel']
    name : str = Field(..., max_length=80)
    code : Optional[str] = Field(None, max_length=3)
    price : float = Field(..., ge=0)
    status : ProductStatus = -
class ProductUpdate ['BaseModel']
    name : Optional[str] = Field(None, max_length=80)
    code : Optional[str] = Field(None, max_length=3)
    price : Optional[float] = Field(None, ge=0)
    stock : Optional[int] = Field(None, gt=0)
    status : Optional[ProductStatus] = None
    created_at : Optional[str] = None
class ProductResponse ['BaseModel']
    model_config = ConfigDict(from_attributes=True)
    id : int = -
    name : str = -
    code : Optional[str] = -
    price : float = -
    stock : int = -
    status : ProductStatus = -
    created_at : str = -
    total : Optional[float] = -
EOF2
assert_same_file "$T/got1" "$T/want1"
assert_contains $A "from schemas.enums import ProductStatus"
assert_contains $A '"""Create schema for table products"""'
touch schemas/__init__.py app/__init__.py app/api/__init__.py
pyd_mypy -p app -p schemas
run sm update
expect_rc 0 "second update"
git add -A && git commit -qm generated
[ -z "$(git status --porcelain)" ] || fail "not clean after commit"

# ---- hand-written code inside and outside the generated classes
python3 - $A <<'PY'
import sys
p = sys.argv[1]; s = open(p).read()
s = s.replace("from typing import Optional\n", "from typing import Optional\n\nfrom pydantic import field_validator\n", 1)
i = s.index("class ProductUpdate")
s = s[:i].rstrip("\n") + '''

    @field_validator("name")
    @classmethod
    def name_not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("blank name")
        return v

    def display(self) -> str:
        return f"{self.name} ({self.price})"


''' + s[i:]
s += '''

class ProductSearch(BaseModel):
    """Written by hand: not managed."""
    q: str
    limit: int = 10


def page_size() -> int:
    return 50
'''
open(p, "w").write(s)
PY
git commit -qam "hand-written code"
cp $A "$T/hand.py"

dr_sql "DROP VIEW live_products;
ALTER TABLE products ADD COLUMN weight real CHECK (weight > 0.5);
ALTER TABLE products ALTER COLUMN name TYPE varchar(120);
DROP TABLE orders;" || fail "changing the database failed"
run sm update
expect_rc 0 "update after the database changed"
dr_ast $A
dr_hunks "$T/hand.py" $A \
    "-    name: str = Field(..., max_length=80)" "+    name: str = Field(..., max_length=120)" \
    "-    name: Optional[str] = Field(None, max_length=80)" "+    name: Optional[str] = Field(None, max_length=120)" \
    "+    weight: Optional[float] = Field(None, gt=0.5)" "+    weight: Optional[float] = Field(None, gt=0.5)" \
    "+    weight: Optional[float]" \
    "-class OrderCreate(BaseModel):" '-    """Create schema for table orders"""' \
    "-    product_id: Optional[int] = None" "-    qty: int" "-    note: Optional[str] = None" \
    "-class OrderUpdate(BaseModel):" '-    """Update schema for table orders"""' "-    id: Optional[str] = None" \
    "-    product_id: Optional[int] = None" "-    qty: Optional[int] = None" "-    note: Optional[str] = None" \
    "-class OrderResponse(BaseModel):" '-    """Response schema for table orders"""' \
    "-    model_config = ConfigDict(from_attributes=True)" "-    id: str" "-    product_id: Optional[int]" \
    "-    qty: int" "-    note: Optional[str]"
for line in '    @field_validator("name")' '    def name_not_blank(cls, v: str) -> str:' \
    '            raise ValueError("blank name")' '    def display(self) -> str:' \
    'class ProductSearch(BaseModel):' '    limit: int = 10' 'def page_size() -> int:'; do
    assert_contains $A "$line"
done
pyd_mypy -p app -p schemas
pyd_run '
from pydantic import ValidationError
from app.api.schemas_generated import ProductCreate, ProductUpdate, ProductResponse, ProductSearch
from schemas.enums import ProductStatus
p = ProductCreate(name="x" * 120, price=0, status="live")
assert p.status is ProductStatus.LIVE and p.display() == "%s (0.0)" % ("x" * 120)
for bad in (dict(name="x" * 121, price=1, status="live"), dict(name="n", price=-1, status="live"),
            dict(name="  ", price=1, status="live"), dict(name="n", price=1, status="live", weight=0.1)):
    try:
        ProductCreate(**bad)
    except ValidationError:
        continue
    raise SystemExit("accepted %r" % bad)
assert ProductUpdate().model_dump(exclude_unset=True) == {}
class Obj:
    id = 1; name = "n"; code = None; price = 2.0; stock = 1; status = "draft"
    created_at = "2024-01-01T00:00:00Z"; total = 4.0; weight = None
assert ProductResponse.model_validate(Obj()).total == 4.0
ProductSearch(q="x")
'
run sm update
expect_rc 0 "update once more"
git add -A && git commit -qm "after db change"
run sm update
expect_rc 0 "second update after the change"
[ -z "$(git status --porcelain)" ] || fail "the second update changed files: $(git status --porcelain)"

# ---- a file that is not valid Python is an error that writes nothing
echo "class Broken(" >>$A
cp $A "$T/broken.py"
run sm update
expect_rc 2 "update with a broken target"
assert_contains "$T/err" "app/api/schemas_generated.py:"
assert_same_file $A "$T/broken.py"
finish
