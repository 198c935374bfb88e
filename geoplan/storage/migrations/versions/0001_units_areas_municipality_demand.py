"""units, areas, municipality, demand

Revision ID: 0001
Revises: (none)
"""

import sqlalchemy as sa
from alembic import op

import geoplan.storage.geometry
from geoplan.vocab import UNIT_TYPES

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('areas',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('system', sa.String(length=60), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=True),
    sa.Column('geometry', geoplan.storage.geometry.Geometry("MULTIPOLYGON"), nullable=True),
    sa.Column('population', sa.Integer(), nullable=True),
    sa.Column('dwellings', sa.Integer(), nullable=True),
    sa.Column('indicators', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('system', 'code')
    )
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_areas_system'), ['system'], unique=False)

    op.create_table('demand',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('snapshot_date', sa.Date(), nullable=False),
    sa.Column('target_group', sa.String(length=40), nullable=False),
    sa.Column('households', sa.Integer(), nullable=False),
    sa.Column('rooms_needed', sa.Integer(), nullable=True),
    sa.Column('universal_design', sa.Boolean(), nullable=False),
    sa.Column('staffed', sa.Boolean(), nullable=False),
    sa.Column('preferred_area', sa.String(length=200), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('demand', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_demand_snapshot_date'), ['snapshot_date'], unique=False)

    op.create_table('import_batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('filename', sa.String(length=400), nullable=False),
    sa.Column('imported_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('n_rows', sa.Integer(), nullable=False),
    sa.Column('n_created', sa.Integer(), nullable=False),
    sa.Column('n_updated', sa.Integer(), nullable=False),
    sa.Column('n_unchanged', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('municipality',
    sa.Column('number', sa.String(length=4), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('boundary', geoplan.storage.geometry.Geometry("MULTIPOLYGON"), nullable=True),
    sa.Column('synthetic', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('number')
    )
    op.create_table('unit_types',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name_nb', sa.String(length=120), nullable=False),
    sa.Column('name_en', sa.String(length=120), nullable=False),
    sa.Column('aliases', sa.Text(), nullable=False),
    sa.Column('color', sa.String(length=9), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.String(length=60), nullable=False),
    sa.Column('street', sa.String(length=200), nullable=True),
    sa.Column('house_number', sa.String(length=20), nullable=True),
    sa.Column('letter', sa.String(length=5), nullable=True),
    sa.Column('postal_code', sa.String(length=4), nullable=True),
    sa.Column('place', sa.String(length=100), nullable=True),
    sa.Column('gnr', sa.Integer(), nullable=True),
    sa.Column('bnr', sa.Integer(), nullable=True),
    sa.Column('fnr', sa.Integer(), nullable=True),
    sa.Column('snr', sa.Integer(), nullable=True),
    sa.Column('building_id', sa.String(length=40), nullable=True),
    sa.Column('housing_company', sa.String(length=200), nullable=True),
    sa.Column('x', sa.Float(), nullable=False),
    sa.Column('y', sa.Float(), nullable=False),
    sa.Column('unit_type', sa.String(length=40), nullable=False),
    sa.Column('tenure', sa.String(length=20), nullable=False),
    sa.Column('rooms', sa.Integer(), nullable=True),
    sa.Column('floor_area', sa.Float(), nullable=True),
    sa.Column('floor', sa.Integer(), nullable=True),
    sa.Column('universal_design', sa.Boolean(), nullable=False),
    sa.Column('wheelchair', sa.Boolean(), nullable=False),
    sa.Column('monthly_rent', sa.Float(), nullable=True),
    sa.Column('target_group', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('acquired', sa.Date(), nullable=True),
    sa.Column('disposed', sa.Date(), nullable=True),
    sa.Column('contract_end', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['unit_type'], ['unit_types.code'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_units_building_id'), ['building_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_units_unit_id'), ['unit_id'], unique=True)

    op.create_table('unit_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_pk', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.Column('field', sa.String(length=40), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('changed_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batches.id'], ),
    sa.ForeignKeyConstraint(['unit_pk'], ['units.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('unit_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_unit_changes_unit_pk'), ['unit_pk'], unique=False)

    unit_types = sa.table(
        "unit_types",
        sa.column("code", sa.String), sa.column("name_nb", sa.String), sa.column("name_en", sa.String),
        sa.column("aliases", sa.Text), sa.column("color", sa.String), sa.column("sort_order", sa.Integer),
    )
    op.bulk_insert(unit_types, [
        {"code": t.code, "name_nb": t.nb, "name_en": t.en, "aliases": ";".join(t.aliases),
         "color": t.color, "sort_order": i}
        for i, t in enumerate(UNIT_TYPES)
    ])


def downgrade() -> None:
    with op.batch_alter_table('unit_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_unit_changes_unit_pk'))

    op.drop_table('unit_changes')
    with op.batch_alter_table('units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_units_unit_id'))
        batch_op.drop_index(batch_op.f('ix_units_building_id'))

    op.drop_table('units')
    op.drop_table('unit_types')
    op.drop_table('municipality')
    op.drop_table('import_batches')
    with op.batch_alter_table('demand', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_demand_snapshot_date'))

    op.drop_table('demand')
    with op.batch_alter_table('areas', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_areas_system'))

    op.drop_table('areas')
