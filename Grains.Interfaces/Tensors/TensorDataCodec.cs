using System.Buffers;
using System.Collections.Immutable;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.Serializers;
using Orleans.Serialization.WireProtocol;

namespace Cluster.Tensors;

/// <summary>
/// Orleans' codec for <see cref="TensorData"/>, written by hand so that a tensor read off the wire lands in an array lent by
/// <see cref="TensorBuffers"/> (<see cref="TensorBuffers.RentReceived"/>) instead of a fresh one: a .NET client's 110 KB
/// image otherwise cost every request a large-object-heap array and, with them, gen-2 collections. The wire format is the
/// one Orleans' generator wrote for the record (fields 0–3: name, datatype, shape, bytes, then an end-of-base marker), so
/// silos and clients built before it read and write the same bytes.
/// </summary>
[RegisterSerializer]
public sealed class TensorDataCodec(ICodecProvider codecs) : IFieldCodec<TensorData>
{
    private static readonly Type TensorType = typeof(TensorData);
    private static readonly Type DataTypeType = typeof(TensorDataType);
    private static readonly Type ShapeType = typeof(ImmutableArray<long>);

    private readonly IFieldCodec<TensorDataType> _dataTypes = codecs.GetCodec<TensorDataType>();
    private readonly IFieldCodec<ImmutableArray<long>> _shapes = codecs.GetCodec<ImmutableArray<long>>();

    /// <inheritdoc/>
    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, Type? expectedType, TensorData? value)
        where TBufferWriter : IBufferWriter<byte>
    {
        if (ReferenceCodec.TryWriteReferenceField(ref writer, fieldIdDelta, expectedType, value)) return;
        writer.WriteStartObject(fieldIdDelta, expectedType, TensorType);
        StringCodec.WriteField(ref writer, 0, value.Name);
        _dataTypes.WriteField(ref writer, 1, DataTypeType, value.DataType);
        _shapes.WriteField(ref writer, 1, ShapeType, value.Shape);
        ByteArrayCodec.WriteField(ref writer, 1, value.Data);
        writer.WriteEndBase();
        writer.WriteEndObject();
    }

    /// <inheritdoc/>
    public TensorData ReadValue<TInput>(ref Reader<TInput> reader, Field field)
    {
        if (field.IsReference) return ReferenceCodec.ReadReference<TensorData, TInput>(ref reader, field)!;
        field.EnsureWireTypeTagDelimited();
        // The record takes its reference id before its fields take theirs, as when the generated codec recorded it first.
        var referenceId = ReferenceCodec.CreateRecordPlaceholder(reader.Session);
        string? name = null;
        TensorDataType dataType = default;
        ImmutableArray<long> shape = default;
        byte[]? data = null;
        uint id = 0;
        Field header = default;
        while (true)
        {
            reader.ReadFieldHeader(ref header);
            if (header.IsEndBaseOrEndObject) break;
            id += header.FieldIdDelta;
            switch (id)
            {
                case 0: name = StringCodec.ReadValue(ref reader, header); break;
                case 1: dataType = _dataTypes.ReadValue(ref reader, header); break;
                case 2: shape = _shapes.ReadValue(ref reader, header); break;
                case 3: data = ReadData(ref reader, header); break;
                default: reader.ConsumeUnknownField(ref header); break;
            }
        }
        // Anything after the end-of-base marker (a later layer; none is written today) is skipped to the end of the object.
        while (!header.IsEndObject)
        {
            reader.ReadFieldHeader(ref header);
            if (!header.IsEndBaseOrEndObject) reader.ConsumeUnknownField(ref header);
        }
        var tensor = new TensorData(name!, dataType, shape, data ?? []);
        ReferenceCodec.RecordObject(reader.Session, tensor, referenceId);
        return tensor;
    }

    private static byte[] ReadData<TInput>(ref Reader<TInput> reader, Field field)
    {
        if (field.WireType == WireType.Reference) return ReferenceCodec.ReadReference<byte[], TInput>(ref reader, field)!;
        field.EnsureWireType(WireType.LengthPrefixed);
        var data = TensorBuffers.RentReceived(checked((int)reader.ReadVarUInt32()));
        reader.ReadBytes(data);
        ReferenceCodec.RecordObject(reader.Session, data);
        return data;
    }
}
