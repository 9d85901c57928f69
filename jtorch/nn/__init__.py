"""``torch.nn``: modules, parameters, functional, init and utils. Explicit re-exports only."""
from .parameter import Buffer, Parameter
from .modules.module import Module
from .modules.container import Container, ModuleDict, ModuleList, ParameterDict, ParameterList, Sequential
from .modules.rnn import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNBase, RNNCell, RNNCellBase
from .modules.attention import MultiheadAttention
from .modules.transformer import (Transformer, TransformerDecoder, TransformerDecoderLayer, TransformerEncoder,
                                  TransformerEncoderLayer)
from .modules.activation import (CELU, ELU, GELU, GLU, Hardshrink, Hardsigmoid, Hardswish, Hardtanh, LeakyReLU,
                                 LogSigmoid, LogSoftmax, Mish, PReLU, ReLU, ReLU6, RReLU, SELU, Sigmoid, SiLU, Softmax,
                                 Softmax2d, Softmin, Softplus, Softshrink, Softsign, Tanh, Tanhshrink, Threshold)
from .modules.batchnorm import BatchNorm1d, BatchNorm2d, BatchNorm3d, SyncBatchNorm
from .modules.channelshuffle import ChannelShuffle
from .modules.conv import Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d
from .modules.distance import CosineSimilarity, PairwiseDistance
from .modules.dropout import AlphaDropout, Dropout, Dropout1d, Dropout2d, Dropout3d, FeatureAlphaDropout
from .modules.flatten import Flatten, Unflatten
from .modules.fold import Fold, Unfold
from .modules.instancenorm import InstanceNorm1d, InstanceNorm2d, InstanceNorm3d
from .modules.linear import Bilinear, Identity, Linear
from .modules.loss import (BCELoss, BCEWithLogitsLoss, CosineEmbeddingLoss, CrossEntropyLoss, CTCLoss, GaussianNLLLoss,
                           HingeEmbeddingLoss, HuberLoss, KLDivLoss, L1Loss, MarginRankingLoss, MSELoss,
                           MultiLabelMarginLoss, MultiLabelSoftMarginLoss, MultiMarginLoss, NLLLoss, NLLLoss2d,
                           PoissonNLLLoss, SmoothL1Loss, SoftMarginLoss, TripletMarginLoss,
                           TripletMarginWithDistanceLoss)
from .modules.normalization import GroupNorm, LayerNorm, LocalResponseNorm, RMSNorm
from .modules.padding import (CircularPad1d, CircularPad2d, CircularPad3d, ConstantPad1d, ConstantPad2d, ConstantPad3d,
                              ReflectionPad1d, ReflectionPad2d, ReflectionPad3d, ReplicationPad1d, ReplicationPad2d,
                              ReplicationPad3d, ZeroPad1d, ZeroPad2d, ZeroPad3d)
from .modules.pixelshuffle import PixelShuffle, PixelUnshuffle
from .modules.pooling import (AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveAvgPool3d, AdaptiveMaxPool1d,
                              AdaptiveMaxPool2d, AdaptiveMaxPool3d, AvgPool1d, AvgPool2d, AvgPool3d, LPPool1d, LPPool2d,
                              LPPool3d, MaxPool1d, MaxPool2d, MaxPool3d, MaxUnpool1d, MaxUnpool2d, MaxUnpool3d)
from .modules.sparse import Embedding, EmbeddingBag
from .modules.upsampling import Upsample, UpsamplingBilinear2d, UpsamplingNearest2d
from . import functional, init, utils
from . import parameter, modules
